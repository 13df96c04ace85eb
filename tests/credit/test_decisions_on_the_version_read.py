"""A reviewer decides on the content they read: a record withdrawn, changed and submitted again while the reviewer's
page was open is not approved (or returned) unseen.

Before, the approve and return forms, the review queue and the API sent no version and the services checked only the
status: a reviewer who opened record #80 at version 3 approved version 6 — a red-list entry whose changed honour and
awarding unit went straight onto the public red list. Now the page's forms and the queue's rows carry the version
they showed, and a record changed since is refused with a message saying so (409 in the API); the reviewer sees the
current content and decides again.
"""

import re

import pytest
from django.urls import reverse

from credit.models import RecordStatus
from credit.services import records as services
from publicity.models import Publication
from tests.credit.test_api_records import api
from tests.factories import create_record

pytestmark = pytest.mark.django_db

CHANGED = {"honour_name": "被改动的荣誉名称", "awarding_unit": "某某（改动后）"}
REFUSED = "操作未执行：该记录在您打开页面后已被修改（当前为第 {v} 版），请查看最新内容后再决定。"


def _changed_while_open(record, clerk, data=CHANGED):
    """The clerk withdraws the submission, changes it and submits it again: submitted, as the reviewer last saw it."""
    services.record_withdraw(record=record, user=clerk)
    record.refresh_from_db()
    services.record_update(record=record, user=clerk, data=data, submit=True)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    return record


def _version_on(html: str, form_id: str) -> str:
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_approving_from_a_page_opened_before_the_record_changed_is_refused(reviewer_client, clerk):
    record = create_record(7, clerk, status="submitted")
    page = reviewer_client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    seen = _version_on(page, "approve-form")
    assert seen == str(record.version)

    record = _changed_while_open(record, clerk)
    response = reviewer_client.post(
        reverse("credit:record-approve", args=[record.pk]), {"version": seen, "approve": ""}, follow=True
    )

    assert REFUSED.format(v=record.version) in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.decided_by is None
    assert not Publication.objects.filter(record=record).exists()
    assert CHANGED["honour_name"] not in api().get("/api/v1/public/red-list/").content.decode()
    # The page now shows the changed content with its version: approving that is the reviewer's informed decision.
    page = response.content.decode()
    assert CHANGED["honour_name"] in page
    response = reviewer_client.post(
        reverse("credit:record-approve", args=[record.pk]),
        {"version": _version_on(page, "approve-form"), "approve": ""},
        follow=True,
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED
    assert CHANGED["honour_name"] in api().get("/api/v1/public/red-list/").content.decode()


def test_returning_from_a_page_opened_before_the_record_changed_is_refused(reviewer_client, clerk):
    record = create_record(8, clerk, status="submitted")
    page = reviewer_client.get(reverse("credit:record-detail", args=[record.pk])).content.decode()
    seen = _version_on(page, "return-form")
    record = _changed_while_open(record, clerk, {"offence": "改动后的案由"})

    response = reviewer_client.post(
        reverse("credit:record-return", args=[record.pk]), {"version": seen, "reason": "请补充依据"}, follow=True
    )

    assert REFUSED.format(v=record.version) in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.decision_reason == ""


def test_the_queue_decides_each_row_on_the_version_it_listed(reviewer_client, clerk):
    changed = create_record(7, clerk, status="submitted", seq=1)
    unchanged = create_record(7, clerk, status="submitted", seq=2)
    queue = reviewer_client.get(reverse("credit:review")).content.decode()
    listed = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', queue))
    assert listed == {str(changed.pk): str(changed.version), str(unchanged.pk): str(unchanged.version)}

    changed = _changed_while_open(changed, clerk)
    response = reviewer_client.post(
        reverse("credit:review"),
        {"action": "approve", "records": list(listed), **{f"version-{pk}": v for pk, v in listed.items()}},
        follow=True,
    )

    html = response.content.decode()
    assert "已通过 1 条记录。" in html
    assert f"记录 #{changed.pk}：" + REFUSED.format(v=changed.version) in html
    changed.refresh_from_db()
    unchanged.refresh_from_db()
    assert (changed.status, unchanged.status) == (RecordStatus.SUBMITTED, RecordStatus.APPROVED)
    # The row's own 通过 button carries the same check.
    response = reviewer_client.post(
        reverse("credit:review"),
        {"approve_one": str(changed.pk), f"version-{changed.pk}": listed[str(changed.pk)]},
        follow=True,
    )
    changed.refresh_from_db()
    assert changed.status == RecordStatus.SUBMITTED
    assert REFUSED.format(v=changed.version) in response.content.decode()


def test_the_api_refuses_a_decision_on_an_older_version_with_409_and_takes_the_current_one(clerk, reviewer):
    record = create_record(7, clerk, status="submitted")
    seen = record.version
    record = _changed_while_open(record, clerk)

    for action, body in (("approve", {}), ("return", {"reason": "请补充"})):
        response = api(reviewer).post(
            f"/api/v1/records/{record.pk}/{action}/", {**body, "version": seen}, format="json"
        )
        assert response.status_code == 409, (action, response.json())
        assert REFUSED.format(v=record.version) in str(response.json())
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED

    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {"version": record.version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == RecordStatus.APPROVED
