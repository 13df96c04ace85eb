"""The README's first command (``make demo``) prints the addresses and the accounts, not Django's or pip's warnings.

``make demo`` migrates the embedded SQLite database, and ``migrate`` runs the system checks against it first: a
warning there (an index option SQLite ignores) was the first thing a new user read.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from config.env import BASE_DIR
from tests import kept_database
from tests.other_process import postgres_url


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


def _demo_server_command(recipe: str, address: str) -> list[str]:
    """The command ``make demo`` ends with, its make variables expanded (the virtual environment: this one), serving at
    ``address``."""
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(.*)$", recipe, re.M))
    variables.update(VENV=sys.prefix, DEMO_ADDRESS=address)
    demo = re.search(r"^demo: install\n((?:\t.*\n)+)", recipe, re.M).group(1)
    line = demo.strip().splitlines()[-1].strip().lstrip("@")
    while match := re.search(r"\$\((\w+)\)", line):
        line = line.replace(match.group(0), variables.get(match.group(1), ""))
    return line.split()


def _database_url(connection, folder: Path) -> str:
    """The test database for another process: a copy of the SQLite file as migrated (the demo server may write
    sessions), the PostgreSQL test database itself (this test writes nothing to it, nor does an anonymous visit)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{kept_database.copy_to(Path(connection.settings_dict['NAME']), folder / 'demo.sqlite3')}"
    return postgres_url(connection.settings_dict)


@pytest.mark.slow(8)
def test_the_demo_server_prints_nothing_from_start_to_stop(db, tmp_path):
    """``make demo`` ended with ``runserver``: after the addresses and the accounts came its start-up banner, an English
    warning about development servers with a link, and then a line for every request. The Makefile's own server command,
    started as ``make demo`` starts it (on a free port, on the test database, its static files collected as the recipe
    does): it serves the column's home page, its stylesheet and the sign-in page, and prints nothing until stopped with
    Ctrl+C, after which it exits cleanly."""
    from django.db import connection

    recipe = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    database_url = _database_url(connection, tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_REPLICA_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=database_url, STATIC_ROOT=str(tmp_path))
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collect.returncode == 0 and collect.stdout + collect.stderr == "", collect.stderr
    server = subprocess.Popen(
        _demo_server_command(recipe, address),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the workers too can be stopped if the master cannot
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Until the deadline: gunicorn listens before its workers have loaded Django (seconds on a busy machine).
                home = requests.get(f"http://{address}/", timeout=max(1.0, deadline - time.monotonic()))
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    f"the demo server did not start at {address}"
                )
                time.sleep(0.2)
        assert home.status_code == 200 and "南昌市教育局" in home.text
        css_path = re.search(r'href="(/static/[^"]+\.css)"', home.text).group(1)
        stylesheet = requests.get(f"http://{address}{css_path}", timeout=10)
        assert stylesheet.status_code == 200 and stylesheet.headers["Content-Type"].startswith("text/css")
        login = requests.get(f"http://{address}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "登录" in login.text
    finally:
        server.send_signal(signal.SIGINT)
        try:
            # Longer than gunicorn's graceful_timeout (30 s): a gthread worker can deadlock in its own quit handler
            # (it interrupts the thread pool's submit, then waits for the lock submit holds); the master kills such a
            # worker at that timeout and exits as asked. Killing the master first left the worker holding the output
            # pipe, and the test waited for it forever.
            output, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate(timeout=10)
    assert output == ""
    assert server.returncode == 0
