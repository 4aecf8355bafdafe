import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = entries()
    untranslated = [e.msgid for e in catalogue if not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert catalogue
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    mismatched = []
    for entry in entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            if set(PLACEHOLDER.findall(text)) != expected:
                mismatched.append(entry.msgid)
    assert mismatched == []


def test_the_compiled_catalogue_is_in_use():
    with translation.override("vi"):
        assert translation.gettext("Party cell") == "Chi bộ"
        assert translation.gettext("Probationary member") == "Đảng viên dự bị"


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages, run on a copy of the sources with the catalogue, finds nothing new
    to translate: a string marked for translation but never added to the catalogue (a
    new app's name, a template's message) shows in English otherwise."""
    source = Path(settings.BASE_DIR)
    skipped = shutil.ignore_patterns(
        ".*", "tests", "docs", "media", "staticfiles", "node_modules", "*.egg-info", "*.pyc",
        "__pycache__", "*.sqlite3*", "*.mo",
    )  # fmt: skip
    copy = tmp_path / "src"
    shutil.copytree(source, copy, ignore=skipped)
    command = [sys.executable, "manage.py", "makemessages", "--locale", "vi", "--no-obsolete"]
    subprocess.run(command + ["-v0"], cwd=copy, check=True, capture_output=True, timeout=300)
    extracted = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in extracted if not entry.obsolete and not entry.translated()]
    assert missing == []
