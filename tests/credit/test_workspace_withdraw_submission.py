"""A clerk withdraws (撤回提交) a submission the General Office has not decided yet, corrects it and submits again."""

import pytest
from django.urls import reverse

from credit.models import EventAction, RecordEvent, RecordStatus
from credit.services import records as services

pytestmark = pytest.mark.django_db


def test_clerk_withdraws_a_submission_edits_and_resubmits(client, clerk, reviewer, make_record):
    record = make_record(8, "submitted")
    client.force_login(clerk)
    page = client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    assert "撤回提交" in page

    html = client.post(reverse("credit:record-withdraw", args=[record.pk]), follow=True).content.decode()
    assert "已撤回为草稿" in html
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    event = RecordEvent.objects.get(record_id=record.pk, action=EventAction.WITHDRAW)
    assert (event.user, event.from_status, event.to_status) == (clerk, RecordStatus.SUBMITTED, RecordStatus.DRAFT)

    client.force_login(reviewer)
    queue = client.get(reverse("credit:review"), {"status": "submitted"})
    assert record.pk not in [r.pk for r in queue.context["object_list"]]
    assert client.post(reverse("credit:record-approve", args=[record.pk]), follow=True).status_code == 200
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT  # nothing to approve any more

    services.record_submit(record=record, user=clerk)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_a_decided_record_cannot_be_withdrawn_and_the_clerk_is_told_why(client, clerk, reviewer, make_record):
    record = make_record(8, "submitted")
    services.record_approve(record=record, user=reviewer)
    client.force_login(clerk)
    html = client.post(reverse("credit:record-withdraw", args=[record.pk]), follow=True).content.decode()
    assert "未能撤回：该记录已被审核" in html and "提出变更" in html
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert not RecordEvent.objects.filter(record_id=record.pk, action=EventAction.WITHDRAW).exists()


def test_reviewer_gets_no_withdraw_button(client, reviewer, make_record):
    record = make_record(8, "submitted")
    client.force_login(reviewer)
    assert "撤回提交" not in client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()


def test_the_api_withdraws_a_submission_and_answers_409_once_decided(clerk, reviewer, make_record):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(clerk)
    record = make_record(8, "submitted")
    response = api.post(f"/api/v1/records/{record.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == RecordStatus.DRAFT

    decided = make_record(8, "submitted")
    services.record_approve(record=decided, user=reviewer)
    response = api.post(f"/api/v1/records/{decided.pk}/withdraw/")
    assert response.status_code == 409 and "未能撤回" in str(response.json())


def test_a_withdrawn_semiannual_report_no_longer_counts_as_reported(clerk, make_record):
    from credit import selectors
    from credit.models import Office

    record = make_record(1, "submitted")
    office = Office.objects.get(pk=record.office_id)
    day = record.business_date

    def reported() -> int:
        periods = selectors.semiannual_periods(office, today=day)
        return sum(p.submitted for p in periods if p.item.no == 1 and p.due == record.due_date)

    assert reported() == 1
    services.record_withdraw(record=record, user=clerk)
    assert reported() == 0


def test_a_returned_semiannual_report_is_owed_on_the_dashboard_as_in_oversight(clerk, reviewer, make_record):
    from credit import selectors
    from credit.models import Office

    record = make_record(1, "submitted")
    office = Office.objects.get(pk=record.office_id)
    period = next(
        p
        for p in selectors.semiannual_periods(office, today=record.business_date)
        if p.item.no == 1 and p.due == record.due_date
    )
    assert not period.owed
    services.record_return(record=record, user=reviewer, reason="请补充证书编号")
    period = next(
        p
        for p in selectors.semiannual_periods(office, today=record.business_date)
        if p.item.no == 1 and p.due == record.due_date
    )
    assert period.owed and period.submitted == 0
