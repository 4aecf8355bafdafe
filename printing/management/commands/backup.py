"""manage.py backup PATH: the database, every stored file and a manifest, in one archive."""

from django.core.management.base import BaseCommand, CommandError

from printing.archive import ArchiveError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive holding the database (SQLite online backup or pg_dump), "
        "every file under MEDIA_ROOT and a manifest of fingerprints. Safe while the app runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive, e.g. cellmeet-2026-12.tar.gz")

    def handle(self, *args, path, **options):
        try:
            manifest = create_backup(path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {path}: {manifest['engine']} database, "
            f"{len(manifest['files'])} files, {len(manifest['records'])} signed records."
        )
