"""Two reviewers approving the same record at the same moment: one wins, the other is told; one approval event.

Needs real row locks (``SELECT … FOR UPDATE``), so it runs on PostgreSQL with real transactions in two threads.
"""

import threading

import pytest
from django.db import connection

from credit.models import EventAction, RecordEvent, RecordStatus
from credit.services import records as services
from tests.factories import create_record


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approve_at_once(clerk, reviewer, second_reviewer):
    record = create_record(8, clerk, status="submitted", reviewer=reviewer)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve(user):
        try:
            barrier.wait(timeout=10)
            services.record_approve(record=record, user=user)
            outcomes[user.username] = "approved"
        except services.RecordStateError as exc:
            outcomes[user.username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (reviewer, second_reviewer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes.values()) == ["RecordStateError", "str"], outcomes
    loser = next(o for o in outcomes.values() if isinstance(o, services.RecordStateError))
    assert "已被审核" in str(loser)
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert RecordEvent.objects.filter(record_id=record.pk, action=EventAction.APPROVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_approved_while_an_update_import_runs_waits_instead_of_deadlocking(clerk, reviewer, monkeypatch):
    """An update-mode import holds the item's write lock (its first row) and then locks a record of a later row; a
    reviewer approves a pending change of that record at the same moment. When approval locked the record first and
    asked for the item's lock second, each waited for the other and PostgreSQL aborted one ("deadlock detected"): an
    error page or a failed import. Every path now takes the item's lock before any record's row."""
    import threading

    from django.db import connections, transaction

    from credit.registry import model_for_item

    draft = create_record(8, clerk, seq=880)
    approved = create_record(8, clerk, status="approved", reviewer=reviewer, seq=881)
    change = services.record_change_propose(
        record=approved, user=clerk, data={"penalty_result": "给予通报批评"}, note="更正处理结果"
    )
    import_holds_item_lock, approval_holds_record = threading.Event(), threading.Event()
    locked_change = services._locked_change

    def lock_change_then_signal(change):
        out = locked_change(change)
        approval_holds_record.set()
        return out

    monkeypatch.setattr(services, "_locked_change", lock_change_then_signal)
    errors: list[BaseException] = []

    def import_rows() -> None:  # what the update-mode import does with two rows, in one transaction
        try:
            with transaction.atomic():
                services.record_update(record=draft, user=clerk, data={"penalty_result": "给予警告"})
                import_holds_item_lock.set()
                approval_holds_record.wait(timeout=2)  # the approval, if it can, locks the record meanwhile
                model_for_item(8).objects.select_for_update().get(pk=approved.pk)  # the next row's record
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def approve() -> None:
        try:
            import_holds_item_lock.wait(timeout=10)
            services.record_change_approve(change=change, user=reviewer)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=import_rows), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert model_for_item(8).objects.get(pk=approved.pk).penalty_result == "给予通报批评"
    assert model_for_item(8).objects.get(pk=draft.pk).penalty_result == "给予警告"
