"""The README's first command (``make demo``) prints the addresses and the accounts, not Django's or pip's warnings.

``make demo`` migrates the embedded SQLite database, and ``migrate`` runs the system checks against it first: a
warning there (an index option SQLite ignores) was the first thing a new user read.
"""

import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from config.env import BASE_DIR


@pytest.mark.django_db
def test_the_checks_migrate_runs_print_nothing():
    """On the embedded SQLite (the demo) as on PostgreSQL (CI)."""
    out, err = StringIO(), StringIO()
    call_command("check", database=["default"], stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().startswith("System check identified no issues")


def test_installing_the_locked_dependencies_prints_no_warnings(tmp_path):
    """``make demo`` on a new machine first installs the lock: pip's warnings (here, a machine's pip configuration that
    names a package folder that is not there: one line per package, over a hundred) came before the addresses. The
    Makefile's own pip flags, installing one locked package: nothing on the terminal, the package installed."""
    recipe = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    flags = re.search(r"-m pip install (.*?) -r \$\(LOCK\)", recipe).group(1).split()
    lock = (BASE_DIR / "requirements.lock").read_text(encoding="utf-8")
    entry = re.search(r"^six==.*?(?=^\S)", lock, re.S | re.M).group(0)  # the pin and its hashes, as locked
    (tmp_path / "one.lock").write_text(entry, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            *flags,
            "--target",
            str(tmp_path / "site"),
            "-r",
            tmp_path / "one.lock",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).strip() == ""
    assert (tmp_path / "site" / "six.py").exists()
