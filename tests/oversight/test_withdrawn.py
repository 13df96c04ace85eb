"""A submission the clerk withdrew (撤回提交) is not reported any more: past its due date it is overdue, not on time."""

import datetime

import pytest
from django.utils import timezone

from credit.models import Office, RecordStatus
from credit.services import records as services
from oversight import selectors
from oversight.periods import parse_period
from tests.oversight.conftest import institution

MARCH = parse_period("2026-03")


@pytest.mark.django_db
def test_a_withdrawn_submission_counts_as_overdue_once_past_its_due_date(clerk_yijiao):
    due = datetime.date(2026, 3, 20)
    submitted = timezone.make_aware(datetime.datetime(2026, 3, 18, 10, 0))
    record = institution(office="yijiao", due=due, status=RecordStatus.SUBMITTED, submitted_at=submitted)
    offices = Office.objects.filter(code="yijiao")

    def figures():
        rows, _ = selectors.timeliness_by_office(period=MARCH, offices=offices, today=datetime.date(2026, 11, 25))
        f = rows[0].figures
        return f.due, f.on_time, f.overdue

    assert figures() == (1, 1, 0)
    services.record_withdraw(record=record, user=clerk_yijiao)
    assert figures() == (1, 0, 1)
