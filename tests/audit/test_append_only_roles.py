"""PostgreSQL: the application role cannot change, delete or empty the audit log, whatever its session sets; the
purge function still deletes only expired events; concurrent writers keep one linear chain.

The tests create a LOGIN role in the cluster (idempotent), grant it the application's rights on the test database
with ``manage.py setup_db_roles`` (as the connection's owner/superuser would after ``migrate``), and connect as it
with psycopg. The grants must be committed for that second connection to see them: transactional tests.
"""

import datetime
import threading

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_log
from audit.verification import verify_chain
from tests.conftest import AUDIT_TRUNCATE_GUARDS

pytestmark = pytest.mark.postgres

APP_ROLE = "nc_test_audit_app"
APP_PASSWORD = "test-only-app-role"
IGNORE_EVERY_TRIGGER = (
    "{pgtrigger_audit_event_append_only_27797,pgtrigger_audit_event_no_truncate_cb0d2,"
    "pgtrigger_audit_checkpoint_append_only_0e907,pgtrigger_audit_checkpoint_no_truncate_cd001}"
)


def _ensure_app_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DO $$ BEGIN
                CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}';
            EXCEPTION WHEN duplicate_object THEN
                ALTER ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}';
            END $$"""
        )
    call_command("setup_db_roles", "--app-role", APP_ROLE, stdout=None)


def _connect_as_app() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=APP_ROLE,
        password=APP_PASSWORD,
        autocommit=True,
    )


@pytest.fixture
def app_db(transactional_db):
    _ensure_app_role()
    with _connect_as_app() as app:
        yield app


def _refused(app: psycopg.Connection, *statements: str) -> None:
    """Every statement fails for the app role, in its own transaction, after lifting every trigger it can name."""
    for statement in statements:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with app.transaction():
                app.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [IGNORE_EVERY_TRIGGER])
                app.execute(statement)


def test_the_app_role_cannot_update_delete_or_truncate_the_audit_log(app_db, clerk):
    event = audit_log(user=clerk, action="login")
    _refused(
        app_db,
        f"UPDATE audit_auditevent SET username = 'rewritten' WHERE id = {event.pk}",
        f"DELETE FROM audit_auditevent WHERE id = {event.pk}",
        "TRUNCATE audit_auditevent",
        "DELETE FROM audit_auditchaincheckpoint",
        "INSERT INTO audit_auditchaincheckpoint (seq, entry_hash, cutoff, created_at)"
        " VALUES (999999, 'x', now(), now())",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    )
    assert AuditEvent.objects.get(pk=event.pk).username == clerk.username
    assert verify_chain().ok


def test_the_app_role_can_still_read_and_append_to_the_audit_log(app_db, clerk):
    audit_log(user=clerk, action="login")
    count = AuditEvent.objects.count()
    assert app_db.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == count
    with app_db.transaction():
        app_db.execute("SELECT pg_advisory_xact_lock(%s)", [0x6175646974])
        app_db.execute(
            "INSERT INTO audit_auditevent (at, username, role, user_agent, method, path, action, object_type,"
            " object_id, object_repr, outcome, detail, seq, prev_hash, entry_hash)"
            " VALUES (now(), '', '', '', '', '', 'login', '', '', '', 'success', '{}', 999999, '', 'x')"
        )
    assert AuditEvent.objects.count() == count + 1


def test_the_purge_function_deletes_only_expired_events_for_the_app_role(app_db, clerk):
    old = AuditEvent.objects.create(action="login", at=timezone.now() - datetime.timedelta(days=200))
    young = AuditEvent.objects.create(action="login", at=timezone.now() - datetime.timedelta(days=170))
    with pytest.raises(psycopg.errors.RaiseException):  # the 180-day floor is the function's, not the caller's
        app_db.execute("SELECT * FROM audit_purge_expired(1)")
    deleted, last_seq, last_hash = app_db.execute("SELECT * FROM audit_purge_expired(180)").fetchone()
    assert (deleted, last_seq, last_hash) == (1, old.seq, old.entry_hash)
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]
    assert verify_chain().ok


@pytest.mark.django_db
def test_even_the_owner_cannot_truncate_the_audit_log(clerk):
    audit_log(user=clerk, action="login")
    with connection.cursor() as cursor:
        for table, trigger in AUDIT_TRUNCATE_GUARDS.items():  # off in the test database only (tests/conftest.py)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        for table in AUDIT_TRUNCATE_GUARDS:
            with pytest.raises(DatabaseError, match="Cannot truncate"), transaction.atomic():
                cursor.execute(f"TRUNCATE {table}")
    assert AuditEvent.objects.exists()


def test_setup_db_roles_refuses_the_owner_as_the_app_role(transactional_db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="超级用户或审计表属主"):
        call_command("setup_db_roles", "--app-role", connection.settings_dict["USER"] or "postgres")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    per_thread, threads = 25, 4
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_log(action="login", detail={"thread": n, "i": i})
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + per_thread * threads))
    report = verify_chain()
    assert report.ok and report.checked == per_thread * threads
