"""Anonymous public reads from a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``, the ``replica`` database).

Only what can be a little behind goes there: a GET or HEAD by an anonymous visitor to a view of the public column or
its open data (``DATABASE_REPLICA_NAMESPACES``), who has not written anything in the last
``DATABASE_REPLICA_STICKY_SECONDS``. Everything else (staff, every write, every read inside a transaction, sessions
and accounts) stays on ``default``, the primary:

- read-your-writes: a request with an unsafe method (a filed objection, a sign-in, any POST) marks the browser with a
  short-lived cookie, and the visitor's next requests read from the primary until it expires, so what they just sent
  is there when they look;
- the router never migrates the replica (a hot standby is read-only and receives the schema from the primary);
- a replica that fails (down, or a query cancelled by a replay conflict) costs no page: the view runs again on the
  primary, and a replica that does not answer is left alone for ``RETRY_AFTER_SECONDS``.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` database and the router always answers ``default``.
The decision is per request, kept in a context variable that the router reads (the router itself never sees the
request); a streamed response (the open-data CSV) keeps it while its rows are read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import OperationalError, connections
from django.http import FileResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
# Set on a response to an unsafe request: the browser reads from the primary while it lasts.
PRIMARY_COOKIE = "nc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read from the primary even in a routed request: a session or account a moment old may not have reached the replica.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "axes", "otp_totp", "otp_static", "django_otp"})

# A replica that does not answer is left alone for this long (per process) before it is tried again.
RETRY_AFTER_SECONDS = 30

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "DATABASE_REPLICA_ROUTING", True)


def reading_from_replica() -> bool:
    """Whether this request's reads go to the replica (for tests and the response header)."""
    return _reads_from_replica.get()


class ReplicaRouter:
    """Reads of a routed request go to ``replica``; every write, and every read inside a transaction, to ``default``."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _reads_from_replica.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if connections[PRIMARY].in_atomic_block:  # a transaction reads what it wrote
            return None
        return REPLICA

    def db_for_write(self, model, **hints) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The same rows on both: an object read from the replica may be related to one from the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool | None:
        if db == REPLICA:
            return False  # a standby is read-only; the schema arrives by replication
        return None


def _routed(request, match) -> bool:
    if request.method not in SAFE_METHODS or request.COOKIES.get(PRIMARY_COOKIE):
        return False
    namespaces = set(getattr(settings, "DATABASE_REPLICA_NAMESPACES", ()))
    if match is None or not namespaces.intersection(match.namespaces):
        return False
    return not request.user.is_authenticated  # loads the session, from the primary (not routed yet)


def _keep_routed(content: Iterator[bytes]) -> Iterator[bytes]:
    """Iterate a streamed body with the request's decision: its rows are read while the server sends it."""
    token = _reads_from_replica.set(True)
    try:
        yield from content
    finally:
        try:
            _reads_from_replica.reset(token)
        except ValueError:  # closed from another context: nothing of ours to undo there
            _reads_from_replica.set(False)


def _replica_failed(exception: Exception) -> None:
    """A query on the replica failed: a replica that does not answer at all is left alone for
    ``RETRY_AFTER_SECONDS`` (an outage costs one failed connection per process, not one per request)."""
    global _replica_down_until
    replica = connections[REPLICA]
    if replica.connection is None or not replica.is_usable():
        _replica_down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("read replica unavailable (%s); reading from the primary", exception)
    replica.close()


class ReplicaReadsMiddleware:
    """Decide per request whether its reads may come from the replica; mark writers so they read their writes.

    After ``AuthenticationMiddleware`` (it asks whether the visitor is signed in). The URL is resolved before any view
    runs, so the decision is taken in ``process_view``, by the URL's namespace.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(False)
        try:
            response = self.get_response(request)
            if _reads_from_replica.get() and response.streaming and not isinstance(response, FileResponse):
                if not getattr(response, "is_async", False):
                    response.streaming_content = _keep_routed(response.streaming_content)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if time.monotonic() < _replica_down_until or not replica_configured():
            return None
        if _routed(request, getattr(request, "resolver_match", None)):
            _reads_from_replica.set(True)
            request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        """A replica that fails (down, or a query cancelled by a replay conflict): the same page from the primary.

        Only reads were routed, so running the view again is safe. A replica that does not answer at all is skipped
        for ``RETRY_AFTER_SECONDS``, so an outage costs one failed connection per process, not one per request."""
        if not _reads_from_replica.get() or not isinstance(exception, OperationalError):
            return None
        _reads_from_replica.set(False)
        _replica_failed(exception)
        view_func, view_args, view_kwargs = request._replica_view
        response = view_func(request, *view_args, **view_kwargs)
        if callable(getattr(response, "render", None)):  # a failure while rendering comes back here too
            response = response.render()
        return response


# --- how far the replica has come -------------------------------------------------------------------------------
# A cache of pages rendered from the replica must not store, under the versions of a change, a page the replica
# rendered before it replayed that change: the writer notes the primary's WAL position after committing
# (``primary_position``), and a page about to be stored is rendered from the replica only when the replica has
# replayed up to it (``replica_has_replayed``); otherwise from the primary (``primary_reads``).


def primary_position() -> str | None:
    """The primary's current WAL position (PostgreSQL with a replica configured), else None."""
    if not replica_configured() or connections[PRIMARY].vendor != "postgresql":
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replica_has_replayed(position: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to ``position``; False if it cannot tell."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [position])
            return bool(cursor.fetchone()[0])
    except Exception as exc:  # the page is read from the primary
        _replica_failed(exc)
        return False


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within the block, this request's reads go to the primary even if it was routed to the replica."""
    token = _reads_from_replica.set(False)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)
