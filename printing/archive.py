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

`restore_backup()` restores all or nothing: the archive is unpacked and checked,
loaded into a staging database and media folder, brought up to date and checked
there (every file and record against the manifest, then `manage.py verify_records`:
every fingerprint, link and head), and only then switched in place of the empty
targets. A truncated or foreign file, another engine or a failed check leaves the
targets untouched and says why.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from meetings.models import Meeting

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_DUMP_FILE = "database.pgdump"
MEDIA_FOLDER = "media"
RECORDS_SQL = (
    "SELECT id, fingerprint, minutes_pdf, organization_id, chain_sequence FROM meetings_meeting "
    "WHERE fingerprint <> '' ORDER BY id"
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
                    "cell": cell,
                    "sequence": sequence,
                    "pdf": _private(pdf_name),
                    "pdf_sha256": digests.get(_private(pdf_name)),
                }
                for meeting_id, fingerprint, pdf_name, cell, sequence in records
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
    """Restore an archive all or nothing: unpacked and checked, loaded into a staging
    database and media folder beside the empty targets, brought up to date and
    verified there (every file, record, link and head), and only then switched in.
    On any failure the staging copies are dropped and the targets are as they were;
    the report (or the ArchiveError) says why."""
    engine = _engine(using)
    media = _media_root()
    _refuse_unless_empty(using, media)
    with tempfile.TemporaryDirectory(prefix="cellmeet-restore-") as work:
        work = Path(work)
        manifest = _unpack(path, work)
        if manifest["engine"] != engine:
            raise ArchiveError(
                f"This archive holds a {manifest['engine']} database; the configured "
                f"database is {engine}. Nothing was restored."
            )
        report = RestoreReport(files=len(manifest["files"]), records=len(manifest["records"]))
        report.problems += unpacked_file_problems(manifest, work / MEDIA_FOLDER)
        staging = Staging.for_engine(engine, using, media)
        try:
            staging.load(work / manifest["database"], work / MEDIA_FOLDER)
            report.problems += staging.verify(work / MANIFEST)
            if report.ok:
                staging.switch()
        finally:
            staging.discard()
    return report


def _unpack(path, work):
    """Every member of the archive into `work`, and its manifest: an ArchiveError in
    plain words for a file that is missing, not an archive, truncated or foreign."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
    except FileNotFoundError as error:
        raise ArchiveError(f"There is no file {path}.") from error
    except (EOFError, zlib.error) as error:
        raise ArchiveError(
            f"{path} is truncated or damaged (it ends before the archive does): "
            "nothing was restored."
        ) from error
    except (tarfile.TarError, OSError) as error:
        if isinstance(error, tarfile.ReadError) and "unexpected end" in str(error):
            raise ArchiveError(
                f"{path} is truncated or damaged (it ends before the archive does): "
                "nothing was restored."
            ) from error
        raise ArchiveError(
            f"{path} is not a backup archive (a .tar.gz made by manage.py backup): "
            "nothing was restored."
        ) from error
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        manifest["engine"], manifest["files"], manifest["records"], manifest["database"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ArchiveError(
            f"{path} is an archive but not a cellmeet backup (no readable {MANIFEST}): "
            "nothing was restored."
        ) from error
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(
            "This archive was made by another version of the backup: nothing was restored."
        )
    if not (work / manifest["database"]).is_file() or "/" in manifest["database"]:
        raise ArchiveError(f"{path} holds no database: nothing was restored.")
    return manifest


def unpacked_file_problems(manifest, folder):
    """Every file the manifest lists is in the unpacked archive, unchanged."""
    problems = []
    for item in manifest["files"]:
        file = folder / item["path"]
        if not file.is_file():
            problems.append(f"file {item['path']} is missing")
        elif sha256_of(file) != item["sha256"]:
            problems.append(f"file {item['path']} differs from the backup")
    return problems


def _refuse_unless_empty(using, media):
    if _media_files(media):
        raise ArchiveError(f"The media folder {media} is not empty: restore into an empty one.")
    tables = connections[using].introspection.table_names()
    if tables:
        raise ArchiveError(
            f"The database already has {len(tables)} tables: restore into an empty database."
        )


class Staging:
    """A database and a media folder beside the targets, switched in only when verified."""

    def __init__(self, using, media):
        self.using = using
        self.connection = connections[using]
        self.media = media
        self.tag = uuid.uuid4().hex[:8]
        self.folder = media.with_name(f"{media.name}.restoring-{self.tag}")
        self.switched = False

    @staticmethod
    def for_engine(engine, using, media):
        return (SqliteStaging if engine == "sqlite" else PostgresStaging)(using, media)

    def load(self, database_file, media_folder):
        self.folder.mkdir(parents=True)
        if media_folder.is_dir():
            shutil.copytree(media_folder, self.folder, dirs_exist_ok=True)
        self.load_database(database_file)

    def verify(self, manifest_file):
        """Migrate the staging database, then verify_records against the manifest, in
        a separate process configured for the staging copies. Returns the problems."""
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url(),
            "MEDIA_ROOT": str(self.folder),
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        migrated = subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"],
            env=environment,
            capture_output=True,
            text=True,
        )
        if migrated.returncode != 0:
            last = (migrated.stderr.strip().splitlines() or ["?"])[-1]
            return [f"the restored database could not be brought up to date: {last}"]
        verified = subprocess.run(
            [*manage, "verify_records", "--render-missing", "--manifest", str(manifest_file)],
            env=environment,
            capture_output=True,
            text=True,
        )
        if verified.returncode == 0:
            return []
        lines = [line for line in verified.stderr.splitlines() if line.strip()]
        return [line for line in lines if not line.startswith("CommandError")] or lines

    def switch(self):
        if self.media.exists():
            self.media.rmdir()  # empty: _refuse_unless_empty
        os.replace(self.folder, self.media)
        try:
            self.switch_database()
        except BaseException:
            os.replace(self.media, self.folder)
            self.media.mkdir()
            raise
        self.switched = True

    def discard(self):
        if not self.switched:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.drop_database()


class SqliteStaging(Staging):
    def __init__(self, using, media):
        super().__init__(using, media)
        name = str(self.connection.settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise ArchiveError("Restore needs a database file, not an in-memory database.")
        self.target = Path(name)
        self.file = self.target.with_name(f"{self.target.name}.restoring-{self.tag}")

    def database_url(self):
        return f"sqlite:///{self.file.resolve()}"

    def load_database(self, database_file):
        source = sqlite3.connect(database_file)
        destination = sqlite3.connect(self.file)
        try:
            source.backup(destination)
        except sqlite3.DatabaseError as error:
            raise ArchiveError(
                f"The archive's database is not a readable SQLite database ({error}): "
                "nothing was restored."
            ) from error
        finally:
            destination.close()
            source.close()

    def switch_database(self):
        self.connection.close()
        os.replace(self.file, self.target)

    def drop_database(self):
        self.file.unlink(missing_ok=True)


class PostgresStaging(Staging):
    def __init__(self, using, media):
        super().__init__(using, media)
        self.target = self.connection.settings_dict["NAME"]
        self.name = f"{self.target[:40]}_restoring_{self.tag}"
        self.created = False

    def database_url(self):
        params = self.connection.settings_dict
        user = quote(params.get("USER") or "", safe="")
        password = f":{quote(params['PASSWORD'], safe='')}" if params.get("PASSWORD") else ""
        host = params.get("HOST") or "localhost"
        port = params.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{self.name}"

    def _admin(self, *statements):
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def load_database(self, database_file):
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.created = True
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d"]
            + [self.name, str(database_file)],
            _libpq_environment(self.connection.settings_dict),
        )

    def switch_database(self):
        """Rename the empty target aside, the staging database in, then drop the old."""
        self.connection.close()
        aside = f"{self.target[:40]}_replaced_{self.tag}"
        try:
            self._admin(f'ALTER DATABASE "{self.target}" RENAME TO "{aside}"')
        except DatabaseError as error:
            raise ArchiveError(
                f"The database {self.target} could not be switched (is the app still "
                f"connected to it?): {error}. Nothing was restored."
            ) from error
        try:
            self._admin(f'ALTER DATABASE "{self.name}" RENAME TO "{self.target}"')
        except BaseException:
            self._admin(f'ALTER DATABASE "{aside}" RENAME TO "{self.target}"')
            raise
        self.created = False
        self._admin(f'DROP DATABASE IF EXISTS "{aside}"')

    def drop_database(self):
        if self.created:
            self.connection.close()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


def check_against_manifest(manifest, media):
    """Every file and record of the manifest is here, unchanged, at its place in its
    cell's chain (run by verify_records --manifest, on the staging copies)."""
    problems = []
    for item in manifest["files"]:
        file = media / item["path"]
        if not file.is_file():
            problems.append(f"file {item['path']} is missing")
        elif sha256_of(file) != item["sha256"]:
            problems.append(f"file {item['path']} differs from the backup")
    restored = {
        pk: (fingerprint, sequence)
        for pk, fingerprint, sequence in Meeting.objects.exclude(fingerprint="").values_list(
            "pk", "fingerprint", "chain_sequence"
        )
    }
    for item in manifest["records"]:
        fingerprint, sequence = restored.get(item["meeting"], (None, None))
        if fingerprint != item["fingerprint"]:
            problems.append(f"meeting {item['meeting']} lost its fingerprint")
        elif "sequence" in item and sequence != item["sequence"]:
            problems.append(f"meeting {item['meeting']} lost its place in its cell's chain")
    return problems
