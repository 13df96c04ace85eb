"""Records move through the one transition of every reviewed object: a decision records who, when and why; a
submission or an expiry is no decision and leaves the reviewer's entry as it was."""

import datetime

import pytest

from credit.models import EventAction, RecordEvent, RecordStatus
from credit.services import records as services

pytestmark = pytest.mark.django_db


def test_a_return_is_a_decision_and_the_resubmission_is_not(make_record, clerk, reviewer):
    record = make_record(8, "submitted")
    returned = services.record_return(record=record, user=reviewer, reason="请补充处罚依据。")
    assert (returned.decided_by, returned.decision_reason) == (reviewer, "请补充处罚依据。")
    assert returned.version == record.version + 1
    resubmitted = services.record_submit(record=returned, user=clerk)
    resubmitted.refresh_from_db()
    assert resubmitted.status == RecordStatus.SUBMITTED and resubmitted.submitted_at > returned.decided_at
    assert (resubmitted.decided_by, resubmitted.decision_reason) == (reviewer, "请补充处罚依据。")
    event = RecordEvent.objects.filter(record_id=record.pk).latest("at")
    assert (event.action, event.from_status, event.to_status, event.user) == ("submit", "returned", "submitted", clerk)


def test_expiry_keeps_the_approval_and_is_logged_without_a_user(make_record, reviewer):
    record = make_record(7, "approved", day=datetime.date(2020, 9, 1))
    assert services.records_expire() == 1
    record.refresh_from_db()
    assert record.status == RecordStatus.EXPIRED and record.decided_by == reviewer
    event = RecordEvent.objects.filter(record_id=record.pk).latest("at")
    assert (event.action, event.user, event.from_status) == (EventAction.EXPIRE, None, RecordStatus.APPROVED)
    assert event.reason == f"有效期已届满（{record.validity_end.isoformat()}）。"
    history = record.history.latest("history_date")
    assert history.history_change_reason == "expired" and history.history_user is None
    assert services.records_expire() == 0
