"""The README's first command (``make demo``) prints the addresses and the accounts, not Django's or pip's warnings.

``make demo`` migrates the embedded SQLite database, and ``migrate`` runs the system checks against it first: a
warning there (an index option SQLite ignores) was the first thing a new user read.
"""

import re
import subprocess
import sys
from io import StringIO

import pytest
import requests
from django.core.management import call_command

from config.env import BASE_DIR
from tests.demo_server import DemoServer, demo_environment


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


@pytest.mark.slow(8)
def test_the_demo_server_prints_nothing_from_start_to_stop(db, tmp_path):
    """``make demo`` ended with ``runserver``: after the addresses and the accounts came its start-up banner, an English
    warning about development servers with a link, and then a line for every request. The Makefile's own server command,
    started as ``make demo`` starts it (on a free port, on the test database, its static files collected as the recipe
    does): it serves the column's home page, its stylesheet and the sign-in page, and prints nothing until stopped with
    Ctrl+C, after which it exits cleanly."""
    from django.db import connection

    with DemoServer(demo_environment(connection, tmp_path)) as server:
        home = requests.get(f"{server.url}/", timeout=30)
        assert home.status_code == 200 and "南昌市教育局" in home.text
        css_path = re.search(r'href="(/static/[^"]+\.css)"', home.text).group(1)
        stylesheet = requests.get(f"{server.url}{css_path}", timeout=10)
        assert stylesheet.status_code == 200 and stylesheet.headers["Content-Type"].startswith("text/css")
        login = requests.get(f"{server.url}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "登录" in login.text
    assert server.output == ""
    assert server.returncode == 0
