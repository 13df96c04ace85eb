"""The review lifecycle in the services: events, stale and double actions, changes to approved records, revoke."""

import pytest
from django.core.exceptions import PermissionDenied

from credit.models import ChangeStatus, EventAction, RecordChange, RecordEvent, RecordStatus
from credit.services import records as services
from tests.factories import record_values

pytestmark = pytest.mark.django_db


def actions(record):
    return list(RecordEvent.objects.filter(record_id=record.pk).values_list("action", flat=True))


def test_full_cycle_writes_one_event_per_transition(make_record, clerk, reviewer):
    record = make_record(8, "submitted")
    record = services.record_return(record=record, user=reviewer, reason="身份证号码有误")
    assert record.status == RecordStatus.RETURNED
    assert record.decision_reason == "身份证号码有误"
    record = services.record_update(record=record, user=clerk, data={"offence": "违规有偿补课（已核实）"}, submit=True)
    assert record.status == RecordStatus.SUBMITTED
    record = services.record_approve(record=record, user=reviewer)
    assert actions(record) == ["create", "submit", "return", "submit", "approve"]
    returned = RecordEvent.objects.get(record_id=record.pk, action=EventAction.RETURN)
    assert (returned.from_status, returned.to_status, returned.user, returned.reason) == (
        "submitted",
        "returned",
        reviewer,
        "身份证号码有误",
    )


def test_second_approval_is_told_already_decided_and_leaves_one_event(make_record, reviewer, second_reviewer):
    record = make_record(8, "submitted")
    services.record_approve(record=record, user=reviewer)
    with pytest.raises(services.RecordStateError) as exc:
        services.record_approve(record=record, user=second_reviewer)  # the stale page of the second reviewer
    assert "已被审核" in str(exc.value)
    assert RecordEvent.objects.filter(record_id=record.pk, action=EventAction.APPROVE).count() == 1
    record.refresh_from_db()
    assert record.decided_by == reviewer


def test_return_after_approval_is_stale(make_record, reviewer, second_reviewer):
    record = make_record(8, "submitted")
    services.record_approve(record=record, user=reviewer)
    with pytest.raises(services.RecordStateError):
        services.record_return(record=record, user=second_reviewer, reason="迟到的退回")
    assert not RecordEvent.objects.filter(record_id=record.pk, action=EventAction.RETURN).exists()


def test_reposted_submit_is_refused(make_record, clerk):
    record = make_record(8, "submitted")
    with pytest.raises(services.RecordStateError) as exc:
        services.record_submit(record=record, user=clerk)
    assert "请勿重复提交" in str(exc.value)
    assert actions(record).count("submit") == 1


def test_return_needs_a_reason(make_record, reviewer):
    record = make_record(8, "submitted")
    with pytest.raises(services.RecordError) as exc:
        services.record_return(record=record, user=reviewer, reason="  ")
    assert "reason" in exc.value.errors


def test_roles_are_enforced(make_record, clerk, reviewer, clerk_out):
    record = make_record(8, "submitted")
    with pytest.raises(PermissionDenied):
        services.record_approve(record=record, user=clerk)
    with pytest.raises(PermissionDenied):
        services.record_submit(record=record, user=reviewer)
    with pytest.raises(PermissionDenied):
        services.record_update(record=record, user=clerk_out, data={})


def test_stale_version_edit_is_refused(make_record, clerk):
    record = make_record(8)
    services.record_update(record=record, user=clerk, data={"offence": "第一次修改", "version": record.version})
    with pytest.raises(services.RecordStateError):
        services.record_update(record=record, user=clerk, data={"offence": "过期页面的修改", "version": record.version})


def test_approved_record_cannot_be_edited_directly(make_record, clerk):
    record = make_record(8, "approved")
    with pytest.raises(services.RecordStateError) as exc:
        services.record_update(record=record, user=clerk, data={"offence": "x"})
    assert "变更" in str(exc.value)


def test_change_to_approved_record_is_reviewed_while_approved_version_stays(make_record, clerk, reviewer):
    record = make_record(8, "approved")
    original = record.penalty_result
    change = services.record_change_propose(
        record=record, user=clerk, data={"penalty_result": "给予警告并通报批评"}, note="补充处罚结果"
    )
    assert change.status == ChangeStatus.PENDING
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert record.penalty_result == original  # still in force

    with pytest.raises(services.RecordStateError):  # one pending change at a time
        services.record_change_propose(record=record, user=clerk, data={"penalty_result": "另一个变更"})

    record = services.record_change_approve(change=change, user=reviewer)
    assert record.penalty_result == "给予警告并通报批评"
    assert record.status == RecordStatus.APPROVED
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    with pytest.raises(services.RecordStateError):
        services.record_change_approve(change=change, user=reviewer)
    assert actions(record)[-2:] == ["change_propose", "change_approve"]


def test_returned_change_leaves_approved_record_untouched(make_record, clerk, reviewer):
    record = make_record(8, "approved")
    before = (record.penalty_result, record.version)
    change = services.record_change_propose(record=record, user=clerk, data={"penalty_result": "改动"})
    with pytest.raises(services.RecordError):
        services.record_change_return(change=change, user=reviewer, reason="")
    services.record_change_return(change=change, user=reviewer, reason="无依据")
    record.refresh_from_db()
    assert (record.penalty_result, record.version) == before
    assert RecordChange.objects.get(pk=change.pk).status == ChangeStatus.RETURNED


def test_invalid_change_is_refused_with_field_message(make_record, clerk):
    record = make_record(8, "approved")
    with pytest.raises(services.RecordError) as exc:
        services.record_change_propose(record=record, user=clerk, data={"id_number": "11010519491231002Y"})
    assert "id_number" in exc.value.errors
    assert not RecordChange.objects.exists()


def test_unchanged_change_is_refused(make_record, clerk):
    record = make_record(8, "approved")
    with pytest.raises(services.RecordError):
        services.record_change_propose(record=record, user=clerk, data={"offence": record.offence})


def test_revoke_needs_reason_and_withdraws_pending_change(make_record, clerk, reviewer):
    record = make_record(8, "approved")
    change = services.record_change_propose(record=record, user=clerk, data={"penalty_result": "改动"})
    with pytest.raises(services.RecordError):
        services.record_revoke(record=record, user=reviewer, reason="")
    record = services.record_revoke(record=record, user=reviewer, reason="原处罚决定被依法撤销")
    assert record.status == RecordStatus.REVOKED
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    with pytest.raises(services.RecordStateError):
        services.record_revoke(record=record, user=reviewer, reason="再次撤销")


def test_bulk_decide_reports_the_ones_already_decided(make_record, reviewer, second_reviewer):
    a, b = make_record(8, "submitted"), make_record(8, "submitted")
    services.record_approve(record=b, user=second_reviewer)
    done, failed = services.records_decide(records=[a, b], user=reviewer, approve=True)
    assert [r.pk for r in done] == [a.pk]
    assert set(failed) == {b.pk}
    with pytest.raises(services.RecordError):
        services.records_decide(records=[a], user=reviewer, approve=False, reason="")


def test_history_user_is_recorded(make_record, clerk, reviewer):
    record = make_record(8, "submitted")
    services.record_approve(record=record, user=reviewer)
    users = list(record.history.order_by("history_date").values_list("history_user__username", flat=True))
    assert users == [clerk.username, clerk.username, reviewer.username]


def test_records_expire_logs_an_event(make_record):
    import datetime

    record = make_record(7, "approved", day=datetime.date(2020, 9, 1))
    assert services.records_expire() == 1
    assert actions(record)[-1] == "expire"


def test_record_values_fixture_is_valid():
    assert record_values(8)["id_number"]
