"""manage.py restore PATH: restore a backup all or nothing into an empty database and media
folder: staged, checked (every file, fingerprint, link and head), then switched in."""

from django.core.management.base import BaseCommand, CommandError

from printing.archive import ArchiveError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an empty database and an empty "
        "MEDIA_ROOT, all or nothing: loaded into a staging database and folder, migrated and "
        "checked there (every file and fingerprint, as verify_records), then switched in. "
        "Exits non-zero, leaving both targets untouched, if anything is missing or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive made by manage.py backup")

    def handle(self, *args, path, **options):
        try:
            report = restore_backup(path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                f"The archive failed verification ({len(report.problems)} problems): "
                "nothing was restored, the database and media folder are as they were."
            )
        self.stdout.write(
            f"Restored {report.files} files and {report.records} signed records: "
            "every fingerprint verified."
        )
