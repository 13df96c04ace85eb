"""Oversight test data: a reviewer of the General Office (办公室, which leads most indicators) and a hand-countable
set of item 3 records due in March 2026, made through the record services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from credit.models import InstitutionRecord, Office, RecordStatus
from oversight.aggregates import records_recount
from tests.factories import UserFactory, clerk_of, create_record

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=10, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def general_office_reviewer(db):
    """A reviewer who is also a member of 办公室, so may report progress on the indicators it is assigned."""
    return UserFactory(username="reviewer", role=Role.REVIEWER, offices=[Office.objects.get(code="office")])


_codes = iter(range(1, 10_000))


def institution(
    *,
    office: str,
    due: datetime.date,
    status: str,
    submitted_at: datetime.datetime | None = None,
    provisional: bool = False,
    business: datetime.date | None = None,
) -> InstitutionRecord:
    """An item 3 record of ``office`` taken to ``status`` through the record services, then given the due date and
    submission time of the hand count: the services stamp today's clock and derive the due date from the calendar,
    while the figures below are about March 2026."""
    business = business or due - datetime.timedelta(days=9)
    record = create_record(
        3, clerk_of(office), status=status, day=business, office_code=office, org_name=f"南昌市第{next(_codes)}中学"
    )
    InstitutionRecord.objects.filter(pk=record.pk).update(
        due_date=due, due_date_provisional=provisional, submitted_at=submitted_at
    )
    record.refresh_from_db()
    # The raw update above bypasses the services, and so credit's signals: recount the record's cells as they would.
    records_recount([record.pk])
    return record


# Hand count for 义教处, March 2026 (as of any day after 31 March 2026):
#   due 7 = on time 3 + late 2 + overdue 2; provisional 1; on-time rate 3/7.
HAND_COUNT = {"due": 7, "on_time": 3, "late": 2, "overdue": 2, "pending": 0, "provisional": 1}


@pytest.fixture
def march_records(clerk_yijiao, clerk_sheguan):
    S = RecordStatus
    # On time: approved, submitted days before; submitted (pending review) on the due date itself; and a
    # provisional due date submitted in time.
    institution(office="yijiao", due=datetime.date(2026, 3, 10), status=S.APPROVED, submitted_at=local(2026, 3, 5))
    institution(
        office="yijiao",
        due=datetime.date(2026, 3, 16),
        status=S.SUBMITTED,
        submitted_at=local(2026, 3, 16, 23, 30),
    )
    institution(
        office="yijiao",
        due=datetime.date(2026, 3, 31),
        status=S.APPROVED,
        submitted_at=local(2026, 3, 20),
        provisional=True,
    )
    # Late: 00:30 local on the day after the due date (still the due date in UTC), and a week late.
    institution(
        office="yijiao",
        due=datetime.date(2026, 3, 10),
        status=S.SUBMITTED,
        submitted_at=local(2026, 3, 11, 0, 30),
    )
    institution(office="yijiao", due=datetime.date(2026, 3, 20), status=S.APPROVED, submitted_at=local(2026, 3, 27))
    # Overdue: a draft never submitted, and a submission returned and not yet resubmitted.
    institution(office="yijiao", due=datetime.date(2026, 3, 12), status=S.DRAFT)
    institution(office="yijiao", due=datetime.date(2026, 3, 25), status=S.RETURNED, submitted_at=local(2026, 3, 24))
    # Not in the figures of 义教处 for March: due in April; another office's record.
    institution(office="yijiao", due=datetime.date(2026, 4, 1), status=S.DRAFT)
    institution(
        office="sheguan",
        due=datetime.date(2026, 3, 10),
        status=S.APPROVED,
        submitted_at=local(2026, 3, 1),
    )
