"""A clerk withdraws (撤回) their office's pending change to an approved record before a reviewer decides it."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from credit.models import ChangeStatus, EventAction, RecordChange, RecordEvent, RecordStatus
from credit.services import records as services
from tests.typed import typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(make_record, clerk):
    record = make_record(8, "approved")
    data = {"penalty_result": "变更后的处罚结果"}
    return services.record_change_propose(record=record, user=clerk, data=data, note="更正")


def test_clerk_withdraws_pending_change_and_approved_version_stays(client, clerk, reviewer, pending):
    record = typed(pending.record)
    client.force_login(clerk)
    page = client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    assert "撤回变更申请" in page and reverse("credit:change-withdraw", args=[pending.pk]) in page

    response = client.post(reverse("credit:change-withdraw", args=[pending.pk]), follow=True)
    html = response.content.decode()
    assert "变更申请已撤回" in html
    assert "有一项变更正在审核" not in html
    pending.refresh_from_db()
    assert pending.status == ChangeStatus.WITHDRAWN and pending.decided_by == clerk
    assert pending.decided_at is not None
    event = RecordEvent.objects.get(record_id=record.pk, action=EventAction.CHANGE_WITHDRAW)
    assert event.user == clerk and event.change_id == pending.pk
    assert AuditEvent.objects.filter(action="transition", object_type="credit.recordchange").exists()
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert typed(record).penalty_result != "变更后的处罚结果"

    client.force_login(reviewer)
    queue = client.get(reverse("credit:review"))
    assert list(queue.context["changes"]) == []
    # The clerk may propose a new change again.
    assert services.record_change_propose(record=record, user=clerk, data={"penalty_result": "再次变更"})


def test_clerk_of_another_office_gets_404(client, clerk_out, pending):
    client.force_login(clerk_out)
    assert client.post(reverse("credit:change-withdraw", args=[pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.status == ChangeStatus.PENDING


def test_reviewer_cannot_withdraw_and_gets_no_button(client, reviewer, pending):
    client.force_login(reviewer)
    page = client.get(reverse("credit:record-detail", args=[pending.record_id])).content.decode()
    assert "撤回变更申请" not in page
    assert client.post(reverse("credit:change-withdraw", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == ChangeStatus.PENDING


def test_withdraw_is_get_proof(client, clerk, pending):
    client.force_login(clerk)
    assert client.get(reverse("credit:change-withdraw", args=[pending.pk])).status_code == 405


def test_decided_change_cannot_be_withdrawn(client, clerk, reviewer, pending):
    services.record_change_return(change=pending, user=reviewer, reason="依据不足")
    client.force_login(clerk)
    response = client.post(reverse("credit:change-withdraw", args=[pending.pk]), follow=True)
    assert "该变更申请已处理（当前状态“已退回”）" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ChangeStatus.RETURNED
    assert not RecordEvent.objects.filter(action=EventAction.CHANGE_WITHDRAW).exists()


def test_reviewer_cannot_decide_a_withdrawn_change(client, clerk, reviewer, pending):
    services.record_change_withdraw(change=pending, user=clerk)
    client.force_login(reviewer)
    response = client.post(reverse("credit:change-approve", args=[pending.pk]), follow=True)
    assert "已撤回" in response.content.decode()
    assert RecordChange.objects.get().status == ChangeStatus.WITHDRAWN


def test_pending_changes_in_the_review_queue_page_on_their_own(client, clerk, reviewer, make_record):
    for n in range(52):
        record = make_record(8, "approved")
        services.record_change_propose(record=record, user=clerk, data={"penalty_result": f"变更{n}"})
    client.force_login(reviewer)
    first = client.get(reverse("credit:review"))
    assert len(first.context["changes"]) == 50
    html = first.content.decode()
    assert "第 1 / 2 页，共 52 条" in html and "changes_page=2" in html
    second = client.get(reverse("credit:review"), {"changes_page": 2})
    assert len(second.context["changes"]) == 2
    assert client.get(reverse("credit:review"), {"changes_page": "²"}).status_code == 200
