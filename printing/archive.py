"""Backups that carry the record whole: the database, every stored file, and a
manifest of fingerprints to check them against after a restore.

One archive (a .tar.gz) holds:
- `manifest.json`: when and from what it was made, every file with its SHA-256,
  every sealed record with its fingerprint and the SHA-256 of its stored PDF;
- the database: `database.sqlite3` (SQLite's online backup API, consistent while
  the app runs) or `database.pgdump` (pg_dump's custom format, taken in the same
  snapshot as the manifest);
- `media/…`: everything under MEDIA_ROOT (stored signed PDFs, lead reports,
  guidance documents).

`restore_backup()` loads an archive into an empty database and an empty media
folder, brings the schema up to date, checks every file and fingerprint against
the manifest, then runs the same check as `manage.py verify_records`.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from meetings.models import Meeting
from printing.integrity import verify_records

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_DUMP_FILE = "database.pgdump"
MEDIA_FOLDER = "media"
RECORDS_SQL = (
    "SELECT id, fingerprint, minutes_pdf FROM meetings_meeting WHERE fingerprint <> '' ORDER BY id"
)


class ArchiveError(Exception):
    """A backup or restore that cannot go on, with the reason in plain words."""


@dataclass
class RestoreReport:
    files: int = 0
    records: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias):
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise ArchiveError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _media_root():
    return Path(settings.MEDIA_ROOT)


def _media_files(root):
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


# ---------------------------------------------------------------- backup


def create_backup(path, *, using="default"):
    """Write one archive of the database and every stored file to `path`."""
    engine = _engine(using)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="cellmeet-backup-") as work:
        work = Path(work)
        if engine == "sqlite":
            database_file = work / SQLITE_FILE
            _sqlite_snapshot(using, database_file)
            records = _sqlite_records(database_file)
        else:
            database_file = work / PG_DUMP_FILE
            records = _postgres_snapshot(using, database_file)
        media = _media_root()
        files = [
            {
                "path": file.relative_to(media).as_posix(),
                "size": file.stat().st_size,
                "sha256": sha256_of(file),
            }
            for file in _media_files(media)
        ]
        digests = {item["path"]: item["sha256"] for item in files}
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": database_file.name,
            "files": files,
            "records": [
                {
                    "meeting": meeting_id,
                    "fingerprint": fingerprint,
                    "pdf": _private(pdf_name),
                    "pdf_sha256": digests.get(_private(pdf_name)),
                }
                for meeting_id, fingerprint, pdf_name in records
            ],
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database_file, arcname=database_file.name)
            for file in _media_files(media):
                archive.add(file, arcname=f"{MEDIA_FOLDER}/{file.relative_to(media).as_posix()}")
        os.replace(partial, path)
    return manifest


def _private(name):
    """Stored PDFs live in the private storage, MEDIA_ROOT/private (cellmeet.private_storage)."""
    return f"private/{name}" if name else ""


def _sqlite_snapshot(using, target):
    connection = connections[using]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _sqlite_records(database_file):
    database = sqlite3.connect(database_file)
    try:
        return list(database.execute(RECORDS_SQL))
    finally:
        database.close()


def _libpq_environment(settings_dict):
    environment = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _postgres_snapshot(using, target):
    """pg_dump and the manifest's records from one snapshot of the database."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(target)],
            _libpq_environment(connection.settings_dict),
        )
        cursor.execute(RECORDS_SQL)
        return list(cursor.fetchall())


def _run(command, environment):
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise ArchiveError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from error
    if result.returncode != 0:
        raise ArchiveError(f"{command[0]} failed: {result.stderr.strip()}")


# ---------------------------------------------------------------- restore


def restore_backup(path, *, using="default"):
    """Load an archive into an empty database and media folder, then check it all."""
    engine = _engine(using)
    media = _media_root()
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile(MANIFEST))
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise ArchiveError("This archive was made by another version of the backup.")
        if manifest["engine"] != engine:
            raise ArchiveError(
                f"This archive holds a {manifest['engine']} database; the configured "
                f"database is {engine}."
            )
        _refuse_unless_empty(using, media)
        with tempfile.TemporaryDirectory(prefix="cellmeet-restore-") as work:
            archive.extractall(work, filter="data")
            work = Path(work)
            if engine == "sqlite":
                _sqlite_restore(using, work / SQLITE_FILE)
            else:
                _postgres_restore(using, work / PG_DUMP_FILE)
            if (work / MEDIA_FOLDER).exists():
                shutil.copytree(work / MEDIA_FOLDER, media, dirs_exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0, database=using)
    return check_restored(manifest, media)


def _refuse_unless_empty(using, media):
    if _media_files(media):
        raise ArchiveError(f"The media folder {media} is not empty: restore into an empty one.")
    tables = connections[using].introspection.table_names()
    if tables:
        raise ArchiveError(
            f"The database already has {len(tables)} tables: restore into an empty database."
        )


def _sqlite_restore(using, database_file):
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(database_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _postgres_restore(using, dump_file):
    connection = connections[using]
    connection.close()
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d"]
        + [connection.settings_dict["NAME"], str(dump_file)],
        _libpq_environment(connection.settings_dict),
    )


def check_restored(manifest, media):
    """Every file and record of the manifest is back, unchanged, and verifies."""
    report = RestoreReport(files=len(manifest["files"]), records=len(manifest["records"]))
    for item in manifest["files"]:
        file = media / item["path"]
        if not file.is_file():
            report.problems.append(f"file {item['path']} is missing")
        elif sha256_of(file) != item["sha256"]:
            report.problems.append(f"file {item['path']} differs from the backup")
    restored = dict(Meeting.objects.exclude(fingerprint="").values_list("pk", "fingerprint"))
    for item in manifest["records"]:
        if restored.get(item["meeting"]) != item["fingerprint"]:
            report.problems.append(f"meeting {item['meeting']} lost its fingerprint")
    report.problems += [str(finding) for finding in verify_records(render_missing=True).findings]
    return report
