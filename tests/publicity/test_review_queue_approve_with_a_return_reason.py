"""The review queue never approves records sent with a return reason: a reason typed in the bulk bar means the
reviewer meant to return them (Enter in that box used to press the form's first button, 批量通过, and approve them,
putting red-list records on the public column at once and throwing the reason away)."""

import pytest
from django.urls import reverse

from credit.models import Record, RecordStatus
from publicity.models import Publication
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def _statuses(*records: Record) -> list[str]:
    return [Record.objects.get(pk=r.pk).status for r in records]


def test_bulk_approve_with_a_return_reason_changes_nothing_and_says_why(client, reviewer, clerk):
    red = create_record(7, clerk, status="submitted")  # 表彰奖励: approving lists it on the red list at once
    penalty = create_record(8, clerk, status="submitted")
    client.force_login(reviewer)
    response = client.post(
        reverse("credit:review"),
        {
            "records": [red.pk, penalty.pk],
            "action": "approve",
            "reason": "处罚依据不全，请补充。",
            f"version-{red.pk}": red.version,
            f"version-{penalty.pk}": penalty.version,
        },
        follow=True,
    )
    assert _statuses(red, penalty) == [RecordStatus.SUBMITTED, RecordStatus.SUBMITTED]
    assert not Publication.objects.filter(record_id=red.pk).exists()
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "退回理由：填写了退回理由，不能通过，未作任何处理。要退回勾选的记录，请按“批量退回”；要通过，请先清空退回理由。"
    ]


def test_a_rows_approve_button_with_a_return_reason_changes_nothing(client, reviewer, clerk):
    record = create_record(8, clerk, status="submitted")
    client.force_login(reviewer)
    response = client.post(reverse("credit:review"), {"approve_one": record.pk, "reason": "材料不全"}, follow=True)
    assert _statuses(record) == [RecordStatus.SUBMITTED]
    assert "请先清空退回理由" in response.content.decode()


def test_a_blank_reason_does_not_stop_approval_and_a_reason_still_returns(client, reviewer, clerk):
    a, b = (create_record(8, clerk, status="submitted") for _ in range(2))
    client.force_login(reviewer)
    client.post(reverse("credit:review"), {"records": [a.pk], "action": "approve", "reason": "   "})
    client.post(reverse("credit:review"), {"records": [b.pk], "action": "return", "reason": "材料不全"})
    assert _statuses(a, b) == [RecordStatus.APPROVED, RecordStatus.RETURNED]
