"""Which requests read from the replica (core/replica.py), decided without a replica server: anonymous GET/HEAD of
the public column and its open data only; staff, writes, sessions and a visitor who has just written stay on the
primary; the replica is never migrated. tests/nodes/test_read_replica_server.py shows it against a real replica."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import resolve

from config.settings import nodes
from core import replica
from core.replica import PRIMARY_COOKIE, ReplicaReadsMiddleware, ReplicaRouter, reading_from_replica
from credit.models import Office

factory = RequestFactory()


@pytest.fixture
def with_replica(monkeypatch, settings):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    settings.DATABASE_REPLICA_STICKY_SECONDS = 30


def _serve(method: str, path: str, *, user=None, cookies=None, body=None):
    """Run ``path`` through the middleware; returns (whether the view read from the replica, the response)."""
    request = getattr(factory, method.lower())(path)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path.split("?")[0])
    seen = {}

    def view(req):
        middleware.process_view(req, None, (), {})
        seen["replica"] = reading_from_replica()
        return body(req) if body else HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    response = middleware(request)
    return seen["replica"], response


@pytest.mark.parametrize(
    "path", ["/", "/penalties/", "/penalties/1/", "/search/?q=中学", "/open-data/", "/api/v1/public/penalties/"]
)
def test_anonymous_public_reads_go_to_the_replica(with_replica, path):
    assert _serve("GET", path)[0] is True
    assert _serve("HEAD", path)[0] is True


@pytest.mark.parametrize("path", ["/workspace/", "/accounts/login/", "/admin/", "/api/v1/items/1/records/"])
def test_staff_pages_and_sign_in_read_from_the_primary_even_anonymously(with_replica, path):
    assert _serve("GET", path)[0] is False


def test_a_signed_in_user_reads_the_public_column_from_the_primary(with_replica):
    signed_in = SimpleNamespace(is_authenticated=True)
    assert _serve("GET", "/penalties/", user=signed_in)[0] is False


def test_a_write_reads_from_the_primary_and_keeps_the_visitor_there_for_a_while(with_replica):
    routed, response = _serve("POST", "/display/text-size/")
    assert routed is False
    cookie = response.cookies[PRIMARY_COOKIE]
    assert cookie["max-age"] == 30 and cookie["httponly"]
    # The next pages of the same browser read from the primary: what they sent is there.
    assert _serve("GET", "/penalties/", cookies={PRIMARY_COOKIE: "1"})[0] is False
    assert _serve("GET", "/api/v1/public/penalties/", cookies={PRIMARY_COOKIE: "1"})[0] is False


def test_without_a_replica_nothing_is_routed_and_no_cookie_is_set():
    routed, response = _serve("GET", "/penalties/")
    assert routed is False
    routed, response = _serve("POST", "/display/text-size/")
    assert routed is False and PRIMARY_COOKIE not in response.cookies


def test_the_rows_of_a_streamed_open_data_file_are_read_from_the_replica_too(with_replica):
    def body(request):
        return StreamingHttpResponse(str(reading_from_replica()) for _ in range(2))

    _routed, response = _serve("GET", "/api/v1/public/penalties.csv", body=body)
    assert reading_from_replica() is False  # the request is over; its body is not sent yet
    assert b"".join(response.streaming_content) == b"TrueTrue"
    assert reading_from_replica() is False


def test_router_sends_only_routed_reads_outside_transactions_to_the_replica(monkeypatch):
    router = ReplicaRouter()
    assert router.db_for_read(Office) is None
    token = replica._reads_from_replica.set(True)
    try:
        assert router.db_for_read(Office) == "replica"
        assert router.db_for_write(Office) == "default"
        assert router.db_for_read(Session) is None  # a session a moment old may not be on the replica yet
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(Office) is None  # a transaction reads what it wrote
    finally:
        replica._reads_from_replica.reset(token)


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "credit", "office") is False
    assert router.allow_migrate("replica", "contenttypes") is False
    assert router.allow_migrate("default", "credit", "office") is None


def test_without_the_setting_there_is_no_replica_database(monkeypatch):
    # The SQLite demo and the suite's default run: one database, and the router has no opinion (default).
    monkeypatch.setattr(nodes, "DATABASE_REPLICA_URL", "")
    assert nodes.replica_databases({"CONN_MAX_AGE": 60}) == {}


def test_the_replica_database_is_its_own_server_and_a_mirror_under_test(monkeypatch):
    monkeypatch.setattr(nodes, "DATABASE_REPLICA_URL", "postgres://postgres@127.0.0.1:5433/credit")
    entry = nodes.replica_databases({"CONN_MAX_AGE": 60})["replica"]
    assert (entry["HOST"], entry["PORT"], entry["NAME"], entry["CONN_MAX_AGE"]) == ("127.0.0.1", 5433, "credit", 60)
    # The test runner neither creates nor empties it: it takes the name of the primary's test database.
    assert entry["TEST"] == {"MIRROR": "default"}
