"""The server ``make demo`` ends with, started by a test as the Makefile starts it: its command from the Makefile, on a
free port, the embedded default settings (config.settings.local, no Redis) on the test database; stopped with Ctrl+C
and a bounded wait (``DemoServer.stop``)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from config.env import BASE_DIR
from tests import kept_database
from tests.other_process import postgres_url


def demo_server_command(recipe: str, address: str) -> list[str]:
    """The command ``make demo`` ends with, its make variables expanded (the virtual environment: this one), serving at
    ``address``."""
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(.*)$", recipe, re.M))
    variables.update(VENV=sys.prefix, DEMO_ADDRESS=address)
    demo = re.search(r"^demo: install\n((?:\t.*\n)+)", recipe, re.M).group(1)
    line = demo.strip().splitlines()[-1].strip().lstrip("@")
    while match := re.search(r"\$\((\w+)\)", line):
        line = line.replace(match.group(0), variables.get(match.group(1), ""))
    return line.split()


def database_url(connection, folder: Path) -> str:
    """The test database for another process: a copy of the SQLite file as committed (the demo server may write
    sessions), the PostgreSQL test database itself (a test that changes it through the server is transactional: the
    database is restored after it)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{kept_database.copy_to(Path(connection.settings_dict['NAME']), folder / 'demo.sqlite3')}"
    return postgres_url(connection.settings_dict)


def demo_environment(connection, folder: Path, **extra: str) -> dict[str, str]:
    """The environment ``make demo`` runs its server in, on the test database (``database_url``), its static files
    collected into ``folder`` as the recipe does; ``extra`` adds settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_REPLICA_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url(connection, folder),
        STATIC_ROOT=str(folder),
        **extra,
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collect.returncode == 0 and collect.stdout + collect.stderr == "", collect.stderr
    return env


class DemoServer:
    """The Makefile's demo server at a free port of the loopback address; ``url`` once started, ``output`` (all it
    printed) and ``returncode`` once stopped."""

    def __init__(self, env: dict[str, str]):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.address = f"127.0.0.1:{port}"
        self.url = f"http://{self.address}"
        self.env = env
        self.process: subprocess.Popen | None = None
        self.output: str | None = None
        self.returncode: int | None = None

    def __enter__(self) -> DemoServer:
        recipe = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
        self.process = subprocess.Popen(
            demo_server_command(recipe, self.address),
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: the workers too can be stopped if the master cannot
        )
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_serving(self, seconds: int = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                # Until the deadline: gunicorn listens before its workers have loaded Django (seconds on a busy machine).
                requests.get(f"{self.url}/healthz", timeout=max(1.0, deadline - time.monotonic()))
                return
            except requests.ConnectionError:
                assert self.process.poll() is None and time.monotonic() < deadline, (
                    f"the demo server did not start at {self.address}"
                )
                time.sleep(0.2)

    def stop(self) -> None:
        """Ctrl+C, as in the terminal, and its output once it has exited."""
        if self.process is None or self.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            # Longer than gunicorn's graceful_timeout (30 s): a gthread worker can deadlock in its own quit handler
            # (it interrupts the thread pool's submit, then waits for the lock submit holds); the master kills such a
            # worker at that timeout and exits as asked. Killing the master first left the worker holding the output
            # pipe, and the test waited for it forever.
            self.output, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.output, _ = self.process.communicate(timeout=10)
        self.returncode = self.process.returncode
