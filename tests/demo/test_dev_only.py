"""The demo app is dev-only: production settings do not know `seed_demo`, and no other
app imports `demo` (it sits on top of every layer)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def commands_under(settings_module, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE=settings_module)
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_settings_have_no_seed_demo():
    commands = commands_under(
        "cellmeet.settings.prod", SECRET_KEY="x" * 60, ALLOWED_HOSTS="cellmeet.example"
    )
    assert "verify_records" in commands
    assert "seed_demo" not in commands


def test_dev_and_test_settings_have_seed_demo():
    assert "seed_demo" in commands_under("cellmeet.settings.dev")
    assert "demo" in settings.INSTALLED_APPS


def test_nothing_outside_demo_imports_it():
    root = Path(settings.BASE_DIR)
    importing = re.compile(r"^\s*(from demo[\s.]|import demo\b)", re.MULTILINE)
    apps = [
        top
        for top in root.iterdir()
        if top.is_dir() and not top.name.startswith(".") and top.name not in {"demo", "tests"}
    ]
    sources = [root / "manage.py", *(path for top in apps for path in top.rglob("*.py"))]
    offenders = [
        str(path.relative_to(root))
        for path in sources
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert len(sources) > 50  # the apps' modules were found
    assert offenders == []
