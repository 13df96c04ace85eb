"""Reminders of semiannual reports (一年两次, item 1) per responsible office, and the REMINDER_WORKING_DAYS setting."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from credit.models import Item, Notice, NoticeKind
from credit.services.calendar import due_date_for, semiannual_period
from credit.tasks import send_record_reminders
from reporting.models import SemiannualNotice
from reporting.services.reminders import semiannual_reminders_send
from reporting.tasks import send_semiannual_reminders
from tests.factories import create_record

pytestmark = pytest.mark.django_db

# Friday 26 June 2026: 30 June (the first half's due date) is the second working day after it.
FRIDAY_BEFORE_H1_DUE = datetime.date(2026, 6, 26)
H1_DUE = datetime.date(2026, 6, 30)
H2_2025_DUE = datetime.date(2025, 12, 31)


def _responsible_codes() -> set[str]:
    return set(Item.objects.get(no=1).offices.values_list("code", flat=True))


def test_office_without_records_is_reminded_before_the_due_date_once(clerk):
    assert "zuren" in _responsible_codes()
    result = semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3)

    zuren = SemiannualNotice.objects.filter(office__code="zuren")
    due_soon = zuren.get(kind=NoticeKind.DUE_SOON)
    assert (due_soon.item.no, due_soon.period_start, due_soon.due_date) == (1, datetime.date(2026, 1, 1), H1_DUE)
    assert "2026上半年" in due_soon.message and "2026-06-30" in due_soon.message
    # The period just ended (2025 H2) is still owed: one overdue notice for it too.
    assert zuren.get(kind=NoticeKind.OVERDUE).due_date == H2_2025_DUE
    assert result.created == SemiannualNotice.objects.count() == 2 * len(_responsible_codes())
    sent = [m for m in mail.outbox if clerk.email in m.to]
    assert len(sent) == 1 and "组人处" in sent[0].subject and "2026-06-30" in sent[0].body
    assert not zuren.filter(emailed_at=None).exists()

    outbox = len(mail.outbox)
    again = semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3)
    assert (again.created, again.mails) == (0, 0)
    assert len(mail.outbox) == outbox
    assert Notice.objects.count() == 0  # the record reminders are not involved


def test_office_that_submitted_for_the_period_gets_no_reminder(clerk):
    create_record(1, clerk, status="submitted", day=datetime.date(2026, 3, 2))
    create_record(1, clerk, status="submitted", day=datetime.date(2025, 9, 1))
    semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3)
    assert not SemiannualNotice.objects.filter(office__code="zuren").exists()


def test_no_due_soon_reminder_outside_the_window(clerk, settings):
    settings.REMINDER_WORKING_DAYS = 1  # 29 June only: 30 June is not yet within the window
    semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE)
    assert not SemiannualNotice.objects.filter(kind=NoticeKind.DUE_SOON).exists()
    settings.REMINDER_WORKING_DAYS = 2
    send_semiannual_reminders()  # today's date: whatever it is, the task runs
    semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE)
    assert SemiannualNotice.objects.filter(kind=NoticeKind.DUE_SOON, due_date=H1_DUE, office__code="zuren").exists()


def test_after_the_due_date_the_owed_period_is_overdue(clerk):
    semiannual_reminders_send(today=datetime.date(2026, 7, 6), days=3)
    notice = SemiannualNotice.objects.get(office__code="zuren")
    assert (notice.kind, notice.due_date) == (NoticeKind.OVERDUE, H1_DUE)
    assert "已超过截止日期" in notice.message


def test_record_reminders_read_the_working_days_setting(clerk, settings):
    today = timezone.localdate()
    # A record due on the fifth working day from today: outside a three-day window, inside a five-day one.
    day = today
    while due_date_for(day, 7).due > due_date_for(today, 5).due:
        day -= datetime.timedelta(days=1)
    create_record(8, clerk, day=day)
    assert due_date_for(today, 3).due < due_date_for(day, 7).due
    settings.REMINDER_WORKING_DAYS = 3
    assert send_record_reminders()["created"] == 0
    settings.REMINDER_WORKING_DAYS = 5
    assert send_record_reminders()["created"] == 1
    assert Notice.objects.get().kind == NoticeKind.DUE_SOON


def test_clerk_sees_the_offices_semiannual_reminders_and_others_do_not(client, clerk):
    from tests.factories import clerk_of

    today = timezone.localdate()
    semiannual_reminders_send(today=today, days=400)  # a window wide enough for the current period, whatever today
    notice = SemiannualNotice.objects.filter(office__code="zuren").first()
    assert notice is not None
    client.force_login(clerk)
    assert notice.message in client.get("/workspace/reporting/").content.decode()
    client.force_login(clerk_of("yijiao"))
    assert notice.message not in client.get("/workspace/reporting/").content.decode()


def test_a_notice_not_yet_e_mailed_is_dropped_once_the_office_has_reported_for_its_period(clerk):
    from credit.models import Office

    # No address when the notices are made: they wait in the workspace, unsent.
    Office.objects.filter(code="zuren").update(email="")
    address, clerk.email = clerk.email, ""
    clerk.save(update_fields=["email"])
    semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3)
    zuren = SemiannualNotice.objects.filter(office__code="zuren", emailed_at=None)
    assert {n.due_date for n in zuren} == {H1_DUE, H2_2025_DUE}
    assert not [m for m in mail.outbox if address in m.to]

    # The office reports for 2026 H1, then gets an address: only the period still owed (2025 H2) is e-mailed.
    create_record(1, clerk, status="submitted", day=datetime.date(2026, 3, 2))
    clerk.email = address
    clerk.save(update_fields=["email"])
    semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3)
    sent = [m for m in mail.outbox if address in m.to]
    assert len(sent) == 1
    assert "2025下半年" in sent[0].body and "2026上半年" not in sent[0].body
    assert zuren.get().due_date == H1_DUE  # the settled one stays unsent (and unshown), not e-mailed

    # Once everything is reported, nothing more is sent.
    create_record(1, clerk, status="submitted", day=datetime.date(2025, 9, 1))
    outbox = len(mail.outbox)
    assert semiannual_reminders_send(today=FRIDAY_BEFORE_H1_DUE, days=3).mails == 0
    assert len(mail.outbox) == outbox


def _current_period_notice(clerk):
    today = timezone.localdate()
    semiannual_reminders_send(today=today, days=400)
    # By the period's start: its due date moves to the last working day before the end when the end is not one.
    start = semiannual_period(today)[0]
    return SemiannualNotice.objects.get(office__code="zuren", period_start=start, kind=NoticeKind.DUE_SOON)


def test_the_workspace_stops_listing_a_period_once_the_office_has_reported(client, clerk):
    notice = _current_period_notice(clerk)
    client.force_login(clerk)
    assert notice.message in client.get("/workspace/reporting/").content.decode()
    create_record(1, clerk, status="submitted", day=timezone.localdate())
    assert notice.message not in client.get("/workspace/reporting/").content.decode()


def test_the_reporting_home_page_query_count_does_not_grow_with_the_notices(client, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notice = _current_period_notice(clerk)
    SemiannualNotice.objects.filter(office__code="zuren").exclude(pk=notice.pk).delete()
    client.force_login(clerk)
    client.get("/workspace/reporting/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert notice.message in client.get("/workspace/reporting/").content.decode()
    start, due = semiannual_period(timezone.localdate())
    last_due = start - datetime.timedelta(days=1)
    item = Item.objects.get(no=1)
    for due_date, kind in [(due, NoticeKind.OVERDUE), (last_due, NoticeKind.DUE_SOON), (last_due, NoticeKind.OVERDUE)]:
        SemiannualNotice.objects.create(
            office=notice.office, item=item, period_start=start, due_date=due_date, kind=kind, message=f"m-{kind}"
        )
    with CaptureQueriesContext(connection) as four:
        page = client.get("/workspace/reporting/").content.decode()
    assert notice.message in page and "m-overdue" in page
    assert len(four) == len(one)
