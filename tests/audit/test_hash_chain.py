"""The audit log is hash-chained: ``manage.py audit_verify`` passes on an untouched log and names the first entry that
was edited, follows a deleted one, or no longer links to its predecessor. Runs on SQLite and on PostgreSQL.

"The owner" below is whoever can get past the append-only guards (on PostgreSQL the role owning the table, which can
switch its trigger off); the chain is what still catches them.
"""

import datetime
import decimal
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit.chain import entry_digest
from audit.models import AuditChainCheckpoint, AuditEvent
from audit.services import audit_log, audit_purge
from audit.verification import verify_chain

pytestmark = pytest.mark.django_db

APPEND_ONLY_PGID = "pgtrigger_audit_event_append_only_27797"


@contextmanager
def _owner_session():
    """A cursor that may change the audit table, as its owner may: on PostgreSQL the owner switches the append-only
    trigger off (rolled back with the test); SQLite has no trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {APPEND_ONLY_PGID}")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {APPEND_ONLY_PGID}")


def _log(user, count: int) -> list[AuditEvent]:
    return [audit_log(user=user, action="login", detail={"n": n}) for n in range(count)]


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_audit_verify_passes_on_an_untouched_log_and_reports_the_count(clerk):
    _log(clerk, 5)
    total = AuditEvent.objects.count()
    output = _verify()
    assert f"已校验 {total} 条" in output
    assert "链头" in output


def test_each_event_links_to_the_one_before_it(clerk):
    first, second, third = _log(clerk, 3)
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3


def test_the_digest_survives_the_round_trip_through_the_database(clerk):
    event = audit_log(
        user=clerk,
        action="export",
        detail={"rows": 3, "ratio": 2.0, "when": timezone.now(), "amount": decimal.Decimal("1.50"), "名称": "中文"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert entry_digest(stored) == event.entry_hash == stored.entry_hash


def test_audit_verify_names_the_entry_the_owner_edited(clerk):
    events = _log(clerk, 4)
    edited = events[1]
    with _owner_session() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["someone-else", edited.pk])
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert f"第 {edited.seq} 条（编号 {edited.pk}，" in message
    assert "被修改" in message


def test_audit_verify_names_the_entry_after_one_the_owner_deleted(clerk):
    events = _log(clerk, 4)
    with _owner_session() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert f"第 {events[2].seq} 条（编号 {events[2].pk}，" in message
    assert f"第 {events[1].seq} 条已不存在" in message


def test_audit_verify_finds_an_edit_whose_digest_the_owner_recomputed(clerk):
    events = _log(clerk, 3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.username = "someone-else"
    with _owner_session() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET username = %s, entry_hash = %s WHERE id = %s",
            ["someone-else", entry_digest(forged), forged.pk],
        )
    report = verify_chain()
    assert not report.ok
    assert (report.fault.event_id, report.fault.seq) == (events[2].pk, events[2].seq)
    assert "链被改写" in report.fault.reason


def test_audit_verify_with_a_recorded_head_finds_a_deleted_tail(clerk):
    events = _log(clerk, 3)
    head = verify_chain()
    anchor = f"{head.head_seq}:{head.head_hash}"
    call_command("audit_verify", "--anchor", anchor, stdout=None)
    with _owner_session() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert verify_chain().ok  # without the recorded head, a cut tail looks like a shorter log
    with pytest.raises(CommandError, match=f"第 {events[-1].seq} 条已不存在"):
        call_command("audit_verify", "--anchor", anchor)


def test_audit_verify_reads_the_log_in_chunks(clerk):
    _log(clerk, 7)
    report = verify_chain(chunk_size=2)
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_events_created_directly_are_linked_too(clerk):
    audit_log(user=clerk, action="login")
    direct = AuditEvent.objects.create(user=clerk, username=clerk.username, action="logout")
    batch = AuditEvent.objects.bulk_create([AuditEvent(action="login"), AuditEvent(action="logout")])
    assert [e.seq for e in batch] == [direct.seq + 1, direct.seq + 2]
    assert verify_chain().ok


def test_the_chain_still_verifies_after_the_retention_purge(clerk):
    old = AuditEvent.objects.create(
        user=clerk, username=clerk.username, action="login", at=timezone.now() - datetime.timedelta(days=200)
    )
    kept = _log(clerk, 2)
    assert audit_purge() >= 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    checkpoint = AuditChainCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.entry_hash) == (old.seq, old.entry_hash)
    report = verify_chain()
    assert report.ok and report.start_seq == old.seq + 1
    assert report.checked == AuditEvent.objects.count() == len(kept) + 1  # + the purge's own event


def test_the_purge_removes_only_a_prefix_of_the_chain(clerk):
    """An old event written after a recent one stays until everything before it is old too: the chain keeps no hole."""
    recent = audit_log(user=clerk, action="login")
    late_old = AuditEvent.objects.create(action="login", at=timezone.now() - datetime.timedelta(days=300))
    assert audit_purge() == 0
    assert AuditEvent.objects.filter(pk__in=[recent.pk, late_old.pk]).count() == 2
    assert verify_chain().ok


def test_deleting_the_first_entries_after_a_purge_is_found(clerk):
    AuditEvent.objects.create(action="login", at=timezone.now() - datetime.timedelta(days=200))
    kept = _log(clerk, 2)
    audit_purge()
    with _owner_session() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [kept[0].pk])
    report = verify_chain()
    assert not report.ok and report.fault.event_id == kept[1].pk
