"""The demo server (``make demo``: the embedded default, SQLite and no Redis) answers every request from one cache.

It ran two gunicorn worker processes, each with a local-memory cache of its own: after a reviewer withdrew an entry
through one of them, the other went on serving the entry's cached public page, the list and the JSON for up to five
minutes (the detail page answered 200, 404, 404, 200…), and each counted the per-address limits apart, letting an
address have twice as many as the documented limit. The Makefile's own server command, started as ``make demo``
starts it: a withdrawal made through one request is seen by every request after it, and an address gets exactly its
limit of open-data downloads, however the requests are spread over the server's processes and threads. Behind it,
``config/gunicorn.conf.py``: without REDIS_URL (in the environment or the project's ``.env``) one worker process, held
at one whatever asks for more.
"""

from __future__ import annotations

import os
import runpy
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from config.env import BASE_DIR
from tests.demo_server import DemoServer, demo_environment
from tests.factories import PASSWORD
from tests.factories.publicity import PublicEntries

DOWNLOADS_PER_ADDRESS = 3


def _get_many(url: str, times: int = 12) -> list[requests.Response]:
    """``url`` asked ``times`` times one after another, then ``times`` times at once (eight at a time), each on a new
    connection: whichever of the server's processes and threads takes each."""
    one_by_one = [requests.get(url, timeout=60) for _ in range(times)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        at_once = list(pool.map(lambda _: requests.get(url, timeout=60), range(times)))
    return one_by_one + at_once


def _signed_in(server: DemoServer, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{server.url}/accounts/login/", timeout=60)
    signed_in = session.post(
        f"{server.url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=60,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    return session


@pytest.mark.slow(6)
@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_is_seen_by_every_following_request_and_limits_are_counted_once(reviewer, tmp_path):
    from django.db import connection

    build = PublicEntries(reviewer)
    pub, other = build.penalty(2), build.penalty(2)
    # The demo server checks passwords with the deployment's hashers (the test settings' fast one is not among them).
    hasher = PBKDF2PasswordHasher()
    reviewer.password = hasher.encode(PASSWORD, hasher.salt(), iterations=10_000)
    reviewer.save(update_fields=["password"])
    env = demo_environment(
        connection,
        tmp_path,
        PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS=str(DOWNLOADS_PER_ADDRESS),
        PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS=str(10**9),  # one window for the whole test
    )
    detail, listing, data = (
        f"/penalties/{pub.pk}/",
        "/penalties/",
        "/api/v1/public/penalties/",
    )

    with DemoServer(env) as server:
        # Every page cached, in whichever process answered.
        for path in (detail, listing, data):
            answers = _get_many(f"{server.url}{path}")
            assert {a.status_code for a in answers} == {200}, path
            assert all(pub.document_number in a.text for a in answers), path

        reviewing = _signed_in(server, reviewer.username)
        withdrawn = reviewing.post(
            f"{server.url}/workspace/publicity/publications/{pub.pk}/withdraw/",
            data={"reason": "信用修复", "csrfmiddlewaretoken": reviewing.cookies["csrftoken"]},  # rotated at sign-in
            headers={"Referer": f"{server.url}/workspace/publicity/publications/"},
            timeout=60,
            allow_redirects=False,
        )
        assert withdrawn.status_code == 302, withdrawn.text[:2000]

        statuses = [a.status_code for a in _get_many(f"{server.url}{detail}")]
        assert statuses == [404] * len(statuses), f"the withdrawn entry's page served {statuses.count(200)} times"
        for path in (listing, data):
            answers = _get_many(f"{server.url}{path}")
            assert {a.status_code for a in answers} == {200}, path
            shown = [pub.document_number in a.text for a in answers]
            assert not any(shown), f"{path}: the withdrawn entry still listed in {sum(shown)} of {len(shown)} answers"
            assert all(other.document_number in a.text for a in answers), path

        # The address's downloads are counted once, whichever process serves them: exactly the limit, then 429.
        downloads = _get_many(f"{server.url}/api/v1/public/penalties.csv?q=洪教罚", times=6)
        statuses = [d.status_code for d in downloads]
        assert statuses.count(200) == DOWNLOADS_PER_ADDRESS, statuses
        assert statuses.count(429) == len(statuses) - DOWNLOADS_PER_ADDRESS, statuses
    assert server.returncode == 0, server.output


def _gunicorn_settings(tmp_path: Path, monkeypatch, dotenv: str = "", **env: str) -> dict:
    """``config/gunicorn.conf.py`` as gunicorn reads it, in a copy of the project holding only it and, when given, a
    ``.env`` file (the checkout's own ``.env``, if any, stays out of it), with the environment ``env``."""
    conf = tmp_path / "config" / "gunicorn.conf.py"
    conf.parent.mkdir(parents=True)
    shutil.copy(BASE_DIR / "config" / "gunicorn.conf.py", conf)
    if dotenv:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    for name in ("REDIS_URL", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(conf))


def _server_asking_for(conf: dict, workers: int) -> mock.Mock:
    """A gunicorn master told to run ``workers`` processes (``--workers``, a TTIN signal): what ``nworkers_changed``
    leaves it with."""
    server = mock.Mock(num_workers=workers)
    conf["nworkers_changed"](server, workers, None)
    return server


def test_without_redis_gunicorn_runs_one_process_of_several_threads(tmp_path, monkeypatch):
    conf = _gunicorn_settings(tmp_path, monkeypatch)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (1, 8, "gthread")
    assert _server_asking_for(conf, 1).log.warning.call_count == 0
    # More processes asked for (the demo's old --workers 2, GUNICORN_WORKERS, a TTIN signal): one, and a warning.
    asked = _gunicorn_settings(tmp_path / "asked", monkeypatch, GUNICORN_WORKERS="3")
    for workers in (2, asked["workers"]):
        server = _server_asking_for(asked, workers)
        assert server.num_workers == 1
        assert "REDIS_URL" in server.log.warning.call_args.args[0]


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_with_redis_gunicorn_runs_the_processes_asked_for(tmp_path, monkeypatch, where):
    if where == "environment":
        conf = _gunicorn_settings(tmp_path, monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    else:  # read by the settings as well (config/env.py)
        conf = _gunicorn_settings(tmp_path, monkeypatch, dotenv="REDIS_URL=redis://127.0.0.1:6379/0\n")
    assert (conf["workers"], conf["threads"]) == (3, 4)
    assert _server_asking_for(conf, 5).num_workers == 5
    if where == ".env":  # read into a copy: the process's own environment is left as it was
        assert "REDIS_URL" not in os.environ
