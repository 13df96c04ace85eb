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
