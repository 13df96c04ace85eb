"""No node-local state: two gunicorn instances on their own ports and a Celery worker, sharing PostgreSQL, Redis and
one media directory (the shared volume of docker-compose.yml), serve one browser interchangeably.

A sign-in on one node is a session on the other (sessions in the database, cache in Redis); a workbook uploaded to
one node is imported by the worker and its progress read from the other; an export batch written by one node is
downloaded from the other; a sign-out on one ends the session on both. The nodes run the embedded default settings
(config.settings.local) with DATABASE_URL, REDIS_URL, MEDIA_ROOT and SECRET_KEY from the environment, as each
machine of a deployment would.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from credit.models import Item, Record
from tests.factories.accounts import PASSWORD
from tests.factories.credit import create_record
from tests.other_process import postgres_url
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
PORTS = range(18600, 18700)  # this test's own range on the CI machine


def _free_ports(n: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == n:
            return found
    pytest.fail(f"no {n} free ports in {PORTS}")


@pytest.fixture
def nodes(tmp_path):
    """Two gunicorn nodes and a worker on the test database; yields their base URLs."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_REPLICA_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": postgres_url(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # the volume every node mounts
        "SECRET_KEY": settings.SECRET_KEY,  # one key for the deployment: sessions, signed values, derived keys
        "CELERY_QUEUE": f"nodes-{uuid.uuid4().hex}",  # this run's tasks only, whoever else shares the Redis
        "GUNICORN_WORKERS": "1",
        "AXES_ENABLED": "false",
    }
    bin_dir = Path(sys.executable).parent
    ports = _free_ports(2)
    logs = []
    processes = []

    def spawn(name, *argv):
        log = open(tmp_path / f"{name}.log", "w+b")  # closed below
        logs.append((name, log))
        processes.append(subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT))

    for i, port in enumerate(ports):
        spawn(
            f"node{i}",
            str(bin_dir / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi:application",
        )
    spawn("worker", str(bin_dir / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING")
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            _wait_for(lambda url=url: requests.get(f"{url}/healthz", timeout=5).status_code == 200, f"{url}/healthz")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for name, log in logs:
            log.seek(0)
            sys.stderr.write(f"--- {name} ---\n{log.read()[-4000:].decode(errors='replace')}\n")
            log.close()


def _wait_for(check, what: str, seconds: int = 120) -> None:
    """Until ``check()`` holds (the nodes start and the worker works at the machine's pace: a wait, not a timing)."""
    for _ in range(seconds * 4):
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {seconds} s")


class Browser:
    """One browser's cookies, sent to whichever node a request goes to (as behind a load balancer)."""

    def __init__(self):
        self.http = requests.Session()

    def get(self, url, **kwargs):
        return self.http.get(url, timeout=60, allow_redirects=False, **kwargs)

    def post(self, url, data=None, **kwargs):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", "")}
        data = {**(data or {}), "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        return self.http.post(url, data=data, headers=headers, timeout=120, allow_redirects=False, **kwargs)

    def sign_in(self, node: str, username: str) -> None:
        self.get(f"{node}/accounts/login/")
        response = self.post(f"{node}/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text[:2000]


def _node_password(user) -> None:
    """The nodes run the deployment's hasher (the test settings' fast one is not among theirs)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=10_000)
    user.save(update_fields=["password"])


def test_one_session_uploads_imports_and_exports_across_two_nodes(nodes, clerk, reviewer):
    node_a, node_b = nodes
    _node_password(clerk)
    _node_password(reviewer)

    # A sign-in on node A is a session on node B.
    browser = Browser()
    browser.sign_in(node_a, clerk.username)
    workspace = browser.get(f"{node_b}/workspace/")
    assert workspace.status_code == 200 and clerk.last_name in workspace.text

    # A workbook uploaded to node B is imported by the worker; node A reports its progress and result.
    item = Item.objects.get(no=8)
    upload = browser.post(
        f"{node_b}/api/v1/reporting/imports/",
        {"item": item.no, "office": "zuren"},
        files={"file": ("教师处分.xlsx", workbook_bytes(8, template_rows(8, range(2))))},
    )
    assert upload.status_code == 201, upload.text
    job = upload.json()["id"]
    status_url = f"{node_a}/workspace/reporting/imports/{job}/status/"
    _wait_for(lambda: browser.get(status_url).json()["finished"], "the import")
    assert browser.get(status_url).json()["created_count"] == 2
    assert Record.objects.filter(item=item).count() == 2

    # Signing out on node A ends the session on node B too.
    assert browser.post(f"{node_a}/accounts/logout/").status_code in (200, 302)
    assert browser.get(f"{node_b}/workspace/").status_code == 302

    # An export batch written by node B is downloaded from node A.
    for seq in range(3):
        create_record(2, status="approved", reviewer=reviewer, seq=100 + seq)
    reviewing = Browser()
    reviewing.sign_in(node_b, reviewer.username)
    created = reviewing.post(
        f"{node_b}/workspace/reporting/batches/new/",
        {"item": Item.objects.get(no=2).pk, "kind": "full", "format": "upload_template"},
    )
    assert created.status_code == 302, created.text[:2000]
    batch_path = created.headers["Location"].rstrip("/")
    download = reviewing.get(f"{node_a}{batch_path}/download/")
    assert download.status_code == 200, download.text[:2000]
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet.max_row == 1 + 3  # the header and the three approved records
