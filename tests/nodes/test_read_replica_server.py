"""Against a real streaming replica (.ci/replica: a hot standby on 127.0.0.1:5433): anonymous public pages are served
by it, staff pages, a visitor who has just written and every write by the primary, and the replica refuses writes.

The test database is the primary's: the replica streams the whole cluster, so it arrives there under the same name
(``TEST: {"MIRROR": "default"}`` only gives the ``replica`` connection that name; it still connects to port 5433).
Rows are committed (transactional test), as the replica sees only what the primary committed. To show which server
answered a page, the replica's replay is paused: a penalty published meanwhile exists on the primary only.
"""

import socket
import time
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connections

from core import replica
from credit.models import Office
from tests.factories.publicity import PublicEntries

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture(autouse=True)
def routing(settings):
    settings.DATABASE_REPLICA_ROUTING = True  # off for the rest of the suite (config/settings/test.py)


def _one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has committed so far (a wait, not a timing)."""
    (lsn,) = _one("default", "SELECT pg_current_wal_lsn()::text")
    for _ in range(600):
        if _one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0]:
            return
        time.sleep(0.1)
    pytest.fail(f"the replica did not replay up to {lsn} within a minute")


@contextmanager
def _replay_paused():
    _one("replica", "SELECT pg_wal_replay_pause()")
    try:
        for _ in range(300):
            if _one("replica", "SELECT pg_get_wal_replay_pause_state()")[0] == "paused":
                break
            time.sleep(0.1)
        yield
    finally:
        _one("replica", "SELECT pg_wal_replay_resume()")


@contextmanager
def _queries_by_server():
    seen: dict[str, list[str]] = {"default": [], "replica": []}

    def recorder(alias):
        def wrapper(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    with connections["default"].execute_wrapper(recorder("default")):
        with connections["replica"].execute_wrapper(recorder("replica")):
            yield seen


def test_the_replica_connection_is_a_standby_on_its_own_port_with_the_test_database():
    in_recovery, port, name = _one("replica", "SELECT pg_is_in_recovery(), inet_server_port(), current_database()")
    assert (in_recovery, port) == (True, connections["replica"].settings_dict["PORT"])
    assert port != _one("default", "SELECT inet_server_port()")[0]
    assert name == connections["default"].settings_dict["NAME"]  # the primary's test database, replicated
    assert _one("default", "SELECT pg_is_in_recovery()") == (False,)


def test_anonymous_public_pages_are_served_by_the_replica(reviewer, client):
    entry = PublicEntries(reviewer).penalty(2, seq=3)
    _wait_for_replay()
    for path in [f"/penalties/{entry.pk}/", "/penalties/", "/api/v1/public/penalties/"]:
        with _queries_by_server() as seen:
            response = client.get(path)
            body = response.content if not response.streaming else b"".join(response.streaming_content)
        assert response.status_code == 200, path
        assert entry.subject_name in body.decode()
        assert seen["replica"] and not seen["default"], (path, seen)
    # A CSV of search results is read while it streams; the full CSV is a file written by a task (no query at all).
    with _queries_by_server() as seen:
        csv = b"".join(client.get("/api/v1/public/penalties.csv", {"q": entry.subject_name}).streaming_content)
    assert entry.subject_name in csv.decode() and seen["replica"] and not seen["default"]


def test_what_the_primary_has_and_the_replica_not_yet_is_seen_by_staff_and_by_its_writer(
    reviewer, client, clerk, settings
):
    settings.PUBLICITY_PAGE_CACHE_SECONDS = 0  # the pages as each server renders them (the cache: next test)
    build = PublicEntries(reviewer)
    build.penalty(2, seq=3)
    _wait_for_replay()
    staff = client.__class__()
    staff.force_login(clerk)
    writer = client.__class__()
    with _replay_paused():
        entry = build.penalty(2, seq=4)  # committed on the primary; the replica is held before it
        path = f"/penalties/{entry.pk}/"
        assert client.get(path).status_code == 404  # anonymous: the replica's view, without it
        with _queries_by_server() as seen:
            assert staff.get(path).status_code == 200  # signed in: the primary
            assert staff.get("/workspace/").status_code == 200
        assert seen["default"] and not seen["replica"]
        # A visitor's POST (any write) keeps their next pages on the primary: they read what they wrote.
        writer.post("/display/text-size/", {"size": "large", "next": "/"})
        assert writer.cookies[replica.PRIMARY_COOKIE]["max-age"] > 0
        assert writer.get(path).status_code == 200
    _wait_for_replay()
    assert client.get(path).status_code == 200  # replayed: the replica has it too


def test_a_page_cached_while_the_replica_is_behind_a_change_is_rendered_by_the_primary(reviewer, client, settings):
    """The page cache stores a page under the versions of the last change: rendered by a replica that has not yet
    replayed that change, it would stay stale in the cache. Such a page is rendered by the primary instead."""
    settings.PUBLICITY_PAGE_CACHE_SECONDS = 300
    build = PublicEntries(reviewer)
    earlier = build.penalty(2, seq=3)
    _wait_for_replay()
    assert earlier.subject_name in client.get("/penalties/").content.decode()  # rendered by the replica, stored
    with _replay_paused():
        entry = build.penalty(2, seq=4)  # on the primary only
        assert entry.subject_name != earlier.subject_name
        with _queries_by_server() as seen:
            listing = client.get("/penalties/").content.decode()
        assert entry.subject_name in listing and seen["default"]
    _wait_for_replay()
    with _queries_by_server() as seen:
        assert entry.subject_name in client.get("/penalties/").content.decode()
    assert not seen["default"] and not seen["replica"]  # the stored page, from the cache


def test_the_replica_refuses_writes_and_a_routed_request_writes_to_the_primary():
    _wait_for_replay()
    with pytest.raises(DatabaseError, match="read-only transaction"):
        with connections["replica"].cursor() as cursor:
            cursor.execute("UPDATE credit_office SET name = name")
    connections["replica"].close()  # after the error, a fresh connection for whatever follows
    office = Office.objects.order_by("pk").first()
    token = replica._reads_from_replica.set(True)  # as inside an anonymous public request
    try:
        assert Office.objects.filter(pk=office.pk).db == "replica"
        assert Office.objects.filter(pk=office.pk).update(name=office.name + "（测试）") == 1  # on the primary
    finally:
        replica._reads_from_replica.reset(token)
    assert Office.objects.get(pk=office.pk).name == office.name + "（测试）"


def test_a_replica_that_does_not_answer_leaves_the_public_column_on_the_primary(reviewer, client, monkeypatch):
    entry = PublicEntries(reviewer).penalty(2, seq=3)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    connections["replica"].close()
    monkeypatch.setitem(connections["replica"].settings_dict, "PORT", dead_port)
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)
    try:
        with _queries_by_server() as seen:
            response = client.get(f"/penalties/{entry.pk}/")
        assert response.status_code == 200 and entry.subject_name in response.content.decode()
        assert seen["default"] and not seen["replica"]
        # Not tried again for a while: the next pages go straight to the primary.
        assert replica._replica_down_until > time.monotonic()
        assert client.get("/api/v1/public/penalties/").json()["results"][0]["id"] == entry.pk
    finally:
        connections["replica"].close()
