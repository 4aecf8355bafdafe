"""`manage.py backup` and `manage.py restore`: one archive carries the database and
every stored file; restored into an empty database (by a separate process, as an
operator would), every meeting, member and file comes back and every fingerprint
verifies. Runs on the engine under test: SQLite or PostgreSQL."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from meetings import services
from meetings.models import Meeting
from members.models import Member
from printing import heads
from printing.models import TreeHead
from tests.helpers import at, complete, sign_both

pytestmark = pytest.mark.django_db(transaction=True)

SNAPSHOT = """
import hashlib, json, pathlib, django
django.setup()
from django.conf import settings
from meetings.models import Meeting
from members.models import Member
from printing.models import TreeHead
media = pathlib.Path(settings.MEDIA_ROOT)
print(json.dumps({
    "heads": sorted(TreeHead.objects.values_list("organization_id", "year", "month", "root")),
    "meetings": sorted(Meeting.objects.values_list(
        "pk", "status", "fingerprint", "chain_sequence", "previous_fingerprint"
    )),
    "members": sorted(Member.objects.values_list("pk", "full_name")),
    "files": sorted(
        [str(p.relative_to(media)), hashlib.sha256(p.read_bytes()).hexdigest()]
        for p in media.rglob("*") if p.is_file()
    ),
}))
"""


def run(command, target):
    database_url, media = target
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cellmeet.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "restore-test",
        "DEBUG": "false",
    }
    return subprocess.run(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def target(tmp_path):
    """An empty database and media folder of the engine under test, to restore into."""
    media = tmp_path / "media"
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", media
        return
    import psycopg2

    params = connection.settings_dict
    name = f"cellmeet_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"],
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    yield url, media
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def archive_of_a_year(world, roster, make_meeting, tmp_path):
    """Two signed meetings (one thematic, with its lead report) and their stored PDFs."""
    regular = complete(make_meeting(when=at(2026, 8, 5)), roster)
    services.finalize_minutes(regular, user=world.secretary)
    sign_both(regular, world, roster)
    thematic = complete(make_meeting(kind="thematic", when=at(2026, 8, 20)), roster)
    thematic.lead_report.save("de-dan.docx", ContentFile(b"PK\x03\x04 lead report"), save=True)
    services.finalize_minutes(thematic, user=world.secretary)
    sign_both(thematic, world, roster)
    make_meeting(when=at(2026, 9, 5))  # a draft comes along too
    heads.countersign_month(world.commune, user=world.reviewer)  # and the superior's head
    path = tmp_path / "cellmeet.tar.gz"
    call_command("backup", str(path))
    return path


def snapshot_here():
    media = Path(settings.MEDIA_ROOT)
    return {
        "heads": sorted(
            list(row)
            for row in TreeHead.objects.values_list("organization_id", "year", "month", "root")
        ),
        "meetings": sorted(
            list(row)
            for row in Meeting.objects.values_list(
                "pk", "status", "fingerprint", "chain_sequence", "previous_fingerprint"
            )
        ),
        "members": sorted(list(row) for row in Member.objects.values_list("pk", "full_name")),
        "files": sorted(
            [str(p.relative_to(media)), hashlib.sha256(p.read_bytes()).hexdigest()]
            for p in media.rglob("*")
            if p.is_file()
        ),
    }


def test_a_backup_restores_every_meeting_member_file_and_fingerprint(archive_of_a_year, target):
    here = snapshot_here()
    assert sum(1 for _, _, fingerprint, *_ in here["meetings"] if fingerprint) == 2
    assert sorted(sequence for *_, sequence, _ in here["meetings"] if sequence) == [1, 2]
    assert any(path.endswith(".pdf") for path, _ in here["files"])
    assert len(here["heads"]) == 1

    restored = run(["manage.py", "restore", str(archive_of_a_year)], target)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout and "every fingerprint verified" in restored.stdout

    there = json.loads(run(["-c", SNAPSHOT], target).stdout)
    assert there == here
    verified = run(["manage.py", "verify_records"], target)
    assert verified.returncode == 0, verified.stderr
    assert "2 signed records checked: 2 intact" in verified.stdout


def test_the_archive_lists_every_fingerprint_and_file(archive_of_a_year):
    with tarfile.open(archive_of_a_year) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        names = archive.getnames()
    assert manifest["engine"] == connection.vendor
    assert manifest["database"] in names
    signed = Meeting.objects.exclude(fingerprint="")
    assert {(item["meeting"], item["fingerprint"]) for item in manifest["records"]} == set(
        signed.values_list("pk", "fingerprint")
    )
    assert all(item["pdf_sha256"] for item in manifest["records"])
    assert {f"media/{item['path']}" for item in manifest["files"]} <= set(names)


def test_restore_refuses_a_database_that_is_not_empty(archive_of_a_year, target):
    assert run(["manage.py", "restore", str(archive_of_a_year)], target).returncode == 0
    again = run(["manage.py", "restore", str(archive_of_a_year)], target)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_finds_a_stored_file_changed_in_the_archive(archive_of_a_year, target, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive_of_a_year) as source, tarfile.open(tampered, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.endswith(".docx"):
                data = b"PK\x03\x04 another report"
                member.size = len(data)
            copy.addfile(member, None if data is None else io.BytesIO(data))
    restored = run(["manage.py", "restore", str(tampered)], target)
    assert restored.returncode != 0
    assert "differs from the backup" in restored.stderr
    assert "the lead report file differs from the one signed" in restored.stderr
    assert "nothing was restored" in restored.stderr
    assert_untouched(target)


# ---------------------------------------------------------------- all or nothing

TABLES = """
import django
django.setup()
from django.db import connection
print(len(connection.introspection.table_names()))
"""


def assert_untouched(target):
    """The target database still has no tables, the media folder no file, and no
    staging copy is left beside them."""
    database_url, media = target
    assert run(["-c", TABLES], target).stdout.strip() == "0"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert not list(media.parent.glob("*restoring*"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%restoring%"])
            assert cursor.fetchall() == []


def refused(archive, target, *expected):
    restored = run(["manage.py", "restore", str(archive)], target)
    assert restored.returncode != 0
    assert "Traceback" not in restored.stderr, restored.stderr
    for words in expected:
        assert words in restored.stderr, restored.stderr
    assert_untouched(target)


def rewritten(archive, path, change):
    """A copy of the archive with `change(name, data)` applied to every member."""
    with tarfile.open(archive) as source, tarfile.open(path, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name, data)
                member.size = len(data)
            copy.addfile(member, None if data is None else io.BytesIO(data))
    return path


def test_a_truncated_archive_leaves_the_target_untouched(archive_of_a_year, target, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    data = archive_of_a_year.read_bytes()
    truncated.write_bytes(data[: len(data) * 2 // 3])
    refused(truncated, target, "truncated or damaged", "nothing was restored")


def test_a_file_that_is_not_an_archive_is_refused_in_plain_words(target, tmp_path):
    text = tmp_path / "notes.tar.gz"
    text.write_text("not a backup at all")
    refused(text, target, "is not a backup archive", "nothing was restored")
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        archive.add(text, arcname="notes.txt")
    refused(other, target, "not a cellmeet backup")


def test_an_archive_of_another_engine_is_refused(archive_of_a_year, target, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def claim_other_engine(name, data):
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "engine": other}).encode()

    refused(
        rewritten(archive_of_a_year, tmp_path / "other.tar.gz", claim_other_engine),
        target,
        f"This archive holds a {other} database",
    )


def test_an_archive_whose_fingerprints_fail_leaves_the_target_untouched(
    archive_of_a_year, target, tmp_path
):
    def other_fingerprint(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["records"][0]["fingerprint"] = "0" * 64
        return json.dumps(manifest).encode()

    refused(
        rewritten(archive_of_a_year, tmp_path / "forged.tar.gz", other_fingerprint),
        target,
        "lost its fingerprint",
        "nothing was restored",
    )
