"""Shared test infrastructure: service markers, the CI no-skip rule, and the Playwright browser.

Markers (declared in pyproject.toml):

- ``postgres``: needs the default database to be PostgreSQL (``DATABASE_URL``);
- ``redis``: needs ``REDIS_URL`` and a Redis answering there;
- ``replica``: needs ``DATABASE_REPLICA_URL`` and a PostgreSQL hot standby answering there (``.ci/replica``);
- ``browser``: needs Debian's Chromium at ``/usr/bin/chromium`` (added by itself to tests using ``browser``/``page``).

Locally a missing service skips the test. With ``CI=true`` it fails it instead, and a CI session in which any test was
skipped, for whatever reason, ends with a non-zero exit status: CI must never pass by testing less.

The test database is kept between runs (``--reuse-db``); ``tests/kept_database.py`` says which run may use, reuse and
delete the kept files.

Domain data (users, offices, records) comes from ``tests/factories/`` and ``tests/roles.py``, not from here.
"""

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

from tests import kept_database

# The shared accounts (clerk, reviewer and the three admin roles) as fixtures for every test folder.
pytest_plugins = ["tests.roles"]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").lower() == "true"

# Property-based tests (hypothesis): quick everywhere, and the same examples on every CI run (derandomize), so a CI
# failure reproduces and a green CI stays green for the same code.
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if IN_CI else "dev")

# (node id, reason) of every test skipped in a CI run; filled on the controlling process, also under xdist.
_skipped_in_ci: list[tuple[str, str]] = []


@cache
def _postgres_missing() -> str | None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        return f"needs PostgreSQL: the default database is {engine} (set DATABASE_URL=postgres://…)"
    return None


@cache
def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "needs Redis: REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"needs Redis: {url} does not answer ({exc.__class__.__name__}: {exc})"
    return None


@cache
def _replica_missing() -> str | None:
    from django.conf import settings

    entry = settings.DATABASES.get("replica")
    if entry is None:
        return "needs a read replica: DATABASE_REPLICA_URL is not set (.ci/replica builds one on 127.0.0.1:5433)"
    import psycopg

    try:
        with psycopg.connect(
            host=entry["HOST"],
            port=entry["PORT"] or 5432,
            user=entry["USER"],
            password=entry["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ) as conn:
            in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.Error as exc:
        return f"needs a read replica: {entry['HOST']}:{entry['PORT']} does not answer ({exc.__class__.__name__})"
    if not in_recovery:
        return f"needs a read replica: {entry['HOST']}:{entry['PORT']} is not a standby (not in recovery)"
    return None


@cache
def _browser_missing() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"needs Chromium: {CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs Playwright: the playwright package is not installed"
    return None


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # the controlling process has already decided, before starting the workers
    if IN_CI:
        # CI's PostgreSQL may hold a test database from an earlier run of other code: always build a new one.
        config.option.create_db = True
        return
    _take_sqlite_test_databases(config)


def _take_sqlite_test_databases(config: pytest.Config) -> None:
    """The kept SQLite test databases for this run, or its own when another run holds them (``tests/kept_database``)."""
    from django.conf import settings

    entry = settings.DATABASES["default"]
    name = entry.get("TEST", {}).get("NAME")
    if not entry["ENGINE"].endswith("sqlite3") or not name:
        return
    databases = kept_database.take(Path(name))
    kept_database.use(databases, entry)
    config.add_cleanup(databases.release)
    config.stash[_DATABASES] = databases


_DATABASES = pytest.StashKey[kept_database.Databases]()


def pytest_report_header(config: pytest.Config) -> str | None:
    databases = config.stash.get(_DATABASES, None)
    if databases is None or databases.temporary is None:
        return None
    return (
        f"另一次测试运行正在使用保留的测试库 (another run holds the kept test databases): "
        f"this run migrates its own in {databases.temporary}, removed when it ends"
    )


def _is_mirror(connection) -> bool:
    """A database the test runner only names after another (``TEST: {"MIRROR": …}``): the read replica."""
    return bool(connection.settings_dict.get("TEST", {}).get("MIRROR"))


def _sqlite_test_database_files() -> list[Path]:
    from django.db import connections

    return [
        Path(connections[alias].settings_dict["NAME"])
        for alias in connections
        if connections[alias].vendor == "sqlite" and not connections[alias].is_in_memory_db()
    ]


_REQUIREMENTS = {
    "postgres": _postgres_missing,
    "redis": _redis_missing,
    "replica": _replica_missing,
    "browser": _browser_missing,
}


def _unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering, which it replaces
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that drives Chromium is a browser test whether or not its author remembered the marker.
    for item in items:
        fixturenames = getattr(item, "fixturenames", ())
        if "browser" in fixturenames and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        # A transactional test (live server, real worker, concurrency) empties every table when it ends, including
        # what the migrations loaded (offices, items, calendar, schedules). Restore it for the tests that follow.
        marker = item.get_closest_marker("django_db")
        transactional = {"live_server", "transactional_db"} & set(fixturenames) or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    items[:] = _longest_first(items, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def _longest_first(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """The tests in the order the workers should start them: each worker's first block (xdist's worksteal hands
    worker i the i-th of ``workers`` equal blocks) begins with its share of the ``slow`` tests, the longest spread
    first over the least loaded (LPT), then the rest in collection order; the workers steal the rest from each
    other's ends. Any order is safe: every test starts on the database as migrated (``_RestoreAtTeardown``)."""
    slow = sorted(
        (item for item in items if item.get_closest_marker("slow")),
        key=lambda item: -item.get_closest_marker("slow").args[0],
    )
    if not slow:
        return items
    bins: list[list[pytest.Item]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for item in slow:
        i = loads.index(min(loads))
        bins[i].append(item)
        loads[i] += item.get_closest_marker("slow").args[0]
    slow_ids = {id(item) for item in slow}
    rest = [item for item in items if id(item) not in slow_ids]
    ordered, remaining = [], len(items)
    for i in range(workers):
        size = remaining // (workers - i)  # what worksteal's first distribution gives worker i
        remaining -= size
        take = max(0, size - len(bins[i]))
        ordered += bins[i] + rest[:take]
        rest = rest[take:]
    return ordered + rest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # tryfirst: decide before pytest-django creates a test database for a test that cannot run.
    for marker, missing in _REQUIREMENTS.items():
        if item.get_closest_marker(marker):
            reason = missing()
            if reason:
                _unavailable(reason)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped_in_ci.append((report.nodeid, reason))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if IN_CI and _skipped_in_ci and not hasattr(session.config, "workerinput"):
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if IN_CI and _skipped_in_ci and not hasattr(config, "workerinput"):
        terminalreporter.section("CI=true: skipped tests fail the run", sep="=", red=True, bold=True)
        for nodeid, reason in _skipped_in_ci:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    """Debian's Chromium, headless, driven by Playwright. Never downloads a browser of its own."""
    reason = _browser_missing()
    if reason:
        _unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(headless=True, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: "Browser") -> Iterator["Page"]:
    """A fresh page in a fresh context (own cookies and storage), in Simplified Chinese."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_survive_context_switches(request):
    """Keep serialized rollback working after a Playwright test, and leave the kept test database as migrated.

    Django keeps the test database's serialized contents on the connection object, and connection objects live in a
    context-local store; Playwright's sync API runs the test in another context, after which ``connection`` is a new
    object without them and ``serialized_rollback`` silently restores nothing. Putting the contents on the wrapper
    class makes every connection object of the session see them.
    """
    if not any(item.get_closest_marker("django_db") for item in request.session.items):
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.db import connections

    kept = _sqlite_test_database_files()
    for database in kept:  # in use: not clean until this session ends
        kept_database.clean_marker(database).unlink(missing_ok=True)

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    from credit.models import Office

    with blocker.unblock():
        # A kept database a crashed run left emptied (a transactional test killed before its teardown): as migrated.
        for alias in connections:
            connection = connections[alias]
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not _is_mirror(connection) and not Office.objects.using(alias).exists():
                connection.creation.deserialize_db_from_string(contents)
        restore = _RestoreAtTeardown(connections)
    yield
    restore.undo()
    for database in kept:
        kept_database.clean_marker(database).touch()


class _RestoreAtTeardown:
    """Transactional tests put the database back as the session found it when they end, not when the next one starts.

    Django's ``serialized_rollback`` restores the migrated contents (offices, items, calendar, schedules) at the start
    of the next transactional test, so between the two the database is empty; pytest-django therefore runs every
    transactional test after all the others, which leaves the slowest tests (browser crawls, live servers) for the
    end of the run and one of the two workers idle. Restored at each transactional test's teardown instead, the
    database is as migrated before every test, in any order: the run can start with its longest tests and let the
    workers steal from each other (``make test``: ``--dist worksteal``).

    On a SQLite file database the restore is a page copy of a snapshot taken when Django serialized the contents
    (the SQLite backup API: milliseconds) instead of re-saving 7,000 rows one by one (0.4 s per test); any other
    database (PostgreSQL) is restored by Django's own deserialization, once per transactional test as before."""

    def __init__(self, connections):
        from django.db.backends.base.creation import BaseDatabaseCreation
        from django.test import TransactionTestCase

        self.connections = connections
        self.snapshots: dict[str, Path] = {}
        self.intact: dict[str, bool] = {}
        for alias in connections:
            connection = connections[alias]
            if _is_mirror(connection) or getattr(connection, "_test_serialized_contents", None) is None:
                continue
            self.intact[alias] = True
            if connection.vendor == "sqlite" and not connection.is_in_memory_db():
                self.snapshots[alias] = self._snapshot(connection)
        self.creation, self.case = BaseDatabaseCreation, TransactionTestCase
        self.deserialize, self.teardown = BaseDatabaseCreation.deserialize_db_from_string, self.case._fixture_teardown
        restore = self

        def deserialize_db_from_string(creation, data):
            # A transactional test's set-up: the teardown of the one before left the database as migrated.
            if not restore.intact.get(creation.connection.alias):
                restore.restore(creation.connection, data)

        def _fixture_teardown(case):
            names = case._databases_names(include_mirrors=False)
            for alias in names:
                restore.intact[alias] = False
            restore.teardown(case)
            for alias in names:
                connection = restore.connections[alias]
                contents = getattr(connection, "_test_serialized_contents", None)
                if case.serialized_rollback and contents is not None:
                    restore.restore(connection, contents)

        BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
        TransactionTestCase._fixture_teardown = _fixture_teardown

    @staticmethod
    def _snapshot(connection) -> Path:
        name = connection.settings_dict["NAME"]
        return kept_database.copy_to(Path(name), Path(name + ".snapshot"))

    def restore(self, connection, contents: str) -> None:
        snapshot = self.snapshots.get(connection.alias)
        if snapshot is None:
            self.deserialize(connection.creation, contents)
        else:
            import sqlite3

            connection.ensure_connection()
            source = sqlite3.connect(snapshot)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        self.intact[connection.alias] = True

    def undo(self) -> None:
        self.creation.deserialize_db_from_string = self.deserialize
        self.case._fixture_teardown = self.teardown
        for snapshot in self.snapshots.values():
            snapshot.unlink(missing_ok=True)


# The audit tables' statement-level TRUNCATE guards (audit.models), by table.
AUDIT_TRUNCATE_GUARDS = {
    "audit_auditevent": "pgtrigger_audit_event_no_truncate_cb0d2",
    "audit_auditchaincheckpoint": "pgtrigger_audit_checkpoint_no_truncate_cd001",
}


@pytest.fixture(scope="session", autouse=True)
def _test_database_can_be_emptied(request):
    """Let Django empty the PostgreSQL test database after a transactional test.

    Django's flush is one ``TRUNCATE`` of every table, which the audit tables' TRUNCATE guards refuse. The test
    database runs without those two guards; ``tests/audit/test_append_only_roles.py`` switches them back on, inside
    its own transaction, where they are the subject.
    """
    if not any(item.get_closest_marker("django_db") for item in request.session.items):
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.db import connections

    with blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql" or _is_mirror(connection):
                continue  # a read replica is read-only, and receives the primary's schema by replication
            with connection.cursor() as cursor:
                for table, trigger in AUDIT_TRUNCATE_GUARDS.items():
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")


@pytest.fixture(scope="session", autouse=True)
def _open_data_files_of_this_process(tmp_path_factory) -> Iterator[None]:
    """The open-data CSV files (publicity.opendata_files) of this test process in a folder of its own: xdist's workers
    each have their own database, so they must not serve each other's files."""
    from django.test import override_settings

    with override_settings(PUBLICITY_OPEN_DATA_DIR=str(tmp_path_factory.mktemp("open-data"))):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The local-memory cache outlives a test, its database does not: every test starts with an empty cache, so no
    public page or open-data version cached from an earlier test's data is served (publicity.pagecache)."""
    from django.core.cache import cache

    cache.clear()
