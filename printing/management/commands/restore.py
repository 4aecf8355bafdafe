"""manage.py restore PATH: load a backup into an empty database and media folder, then
check every file and fingerprint."""

from django.core.management.base import BaseCommand, CommandError

from printing.archive import ArchiveError, restore_backup


class Command(BaseCommand):
    help = (
        "Load an archive made by `manage.py backup` into an empty database and an empty "
        "MEDIA_ROOT, migrate, then check every file and fingerprint (as verify_records). "
        "Exits non-zero if anything is missing or changed."
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
        self.stdout.write(
            f"Restored {report.files} files and {report.records} signed records: "
            + ("every fingerprint verified." if report.ok else f"{len(report.problems)} problems.")
        )
        if not report.ok:
            raise CommandError("The restored archive failed verification.")
