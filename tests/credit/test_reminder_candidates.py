"""The daily reminders read what may have become due since their last run, not every open record (issue 17): and
still remind of every record that needs it — one that entered the due-soon window since, one returned since, one
whose due date a calendar change moved."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credit.models import Notice, NoticeKind, Record
from credit.selectors import due_soon_end
from credit.services.notices import reminders_send
from tests.factories import create_record

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 9)  # a Monday


def _at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _draft(clerk, due: datetime.date, *, changed: datetime.date) -> Record:
    record = create_record(8, clerk, day=due - datetime.timedelta(days=14))
    Record.objects.filter(pk=record.pk).update(due_date=due, updated_at=_at(changed, 7))
    return record


def _ran_on(day: datetime.date) -> None:
    """The notices made so far were made by a run on ``day``."""
    Notice.objects.update(created_at=_at(day))


def _kinds(record) -> set[str]:
    return set(Notice.objects.filter(record=record).values_list("kind", flat=True))


def test_a_record_entering_the_due_soon_window_after_the_last_run_is_reminded(clerk):
    soon = _draft(clerk, due_soon_end(TODAY, 3), changed=TODAY - datetime.timedelta(days=20))
    later = _draft(clerk, TODAY + datetime.timedelta(days=10), changed=TODAY - datetime.timedelta(days=20))
    reminders_send(today=TODAY, days=3)
    assert _kinds(soon) == {NoticeKind.DUE_SOON} and _kinds(later) == set()
    _ran_on(TODAY)

    reminders_send(today=TODAY + datetime.timedelta(days=1), days=3)  # nothing new yet
    assert _kinds(later) == set()
    day = later.due_date - datetime.timedelta(days=1)
    while due_soon_end(day, 3) < TODAY + datetime.timedelta(days=10):
        day += datetime.timedelta(days=1)
    reminders_send(today=day, days=3)
    assert _kinds(later) == {NoticeKind.DUE_SOON}
    assert Notice.objects.filter(record=soon, kind=NoticeKind.DUE_SOON).count() == 1


def test_a_record_returned_after_the_last_run_is_reminded_before_its_due_date(clerk, reviewer):
    from credit.services.records import record_return

    reminded = _draft(clerk, due_soon_end(TODAY, 3), changed=TODAY - datetime.timedelta(days=20))
    submitted = create_record(8, clerk, status="submitted")
    Record.objects.filter(pk=submitted.pk).update(due_date=TODAY + datetime.timedelta(days=1))
    reminders_send(today=TODAY, days=3)
    assert _kinds(reminded) == {NoticeKind.DUE_SOON} and _kinds(submitted) == set()
    _ran_on(TODAY - datetime.timedelta(days=1))

    submitted.refresh_from_db()
    record_return(record=submitted, user=reviewer, reason="材料不全")
    reminders_send(today=TODAY, days=3)
    assert _kinds(submitted) == {NoticeKind.DUE_SOON}


def test_a_due_date_a_calendar_change_moved_into_the_past_brings_the_overdue_notice(clerk):
    old = TODAY - datetime.timedelta(days=60)
    earlier = _draft(clerk, TODAY - datetime.timedelta(days=40), changed=old)  # overdue: reminded in the first run
    moved = _draft(clerk, TODAY + datetime.timedelta(days=20), changed=old)
    reminders_send(today=TODAY, days=3)
    assert _kinds(earlier) == {NoticeKind.OVERDUE} and _kinds(moved) == set()
    _ran_on(TODAY)

    # The calendar service moves the due date to before the last run and says so with a 截止日期调整 notice; the
    # record itself is not otherwise changed (its updated_at stays old).
    Record.objects.filter(pk=moved.pk).update(due_date=TODAY - datetime.timedelta(days=5))
    Notice.objects.create(
        record=moved, office_id=moved.office_id, kind=NoticeKind.DUE_DATE_CHANGED, due_date=TODAY, message="调整"
    )
    reminders_send(today=TODAY + datetime.timedelta(days=1), days=3)
    assert NoticeKind.OVERDUE in _kinds(moved)


def test_notices_of_an_office_nobody_can_be_mailed_at_wait_and_go_once_it_has_an_address(clerk, settings):
    from django.core import mail

    from credit.models import Office

    office = Office.objects.get(pk=clerk.offices.get().pk)
    Office.objects.filter(pk=office.pk).update(email="")
    type(clerk).objects.filter(offices=office).update(email="")
    overdue = _draft(clerk, TODAY - datetime.timedelta(days=30), changed=TODAY - datetime.timedelta(days=40))
    reminders_send(today=TODAY, days=3)
    assert mail.outbox == []
    assert Notice.objects.get(record=overdue, kind=NoticeKind.OVERDUE).emailed_at is None  # shown in the workspace

    Office.objects.filter(pk=office.pk).update(email="zuren@nc.example.cn")
    reminders_send(today=TODAY, days=3)
    assert [m.to for m in mail.outbox] == [["zuren@nc.example.cn"]]
    assert f"#{overdue.pk}" in mail.outbox[0].body
    assert Notice.objects.get(record=overdue, kind=NoticeKind.OVERDUE).emailed_to == "zuren@nc.example.cn"
