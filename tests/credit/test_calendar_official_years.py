"""A year's calendar is official only once the system admin marks it complete; until then the statutory holidays are
computed and dates are 暂定. Any calendar change moves the stored due dates it affects, records the move on each
record and tells the office. Semiannual due dates move back off non-working days."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit.models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    EventAction,
    InstitutionRecord,
    Item,
    Notice,
    NoticeKind,
    Office,
    RecordEvent,
)
from credit.services.calendar import (
    DueDate,
    calendar_year_set_complete,
    due_date_for,
    item_due_date,
    statutory_holidays,
)
from tests.factories.credit import clerk_of, create_record

pytestmark = pytest.mark.django_db

YEARS_URL = "/admin/credit/calendarday/years/"


@pytest.fixture
def sysadmin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def stored_record(business_date: date, *, due: DueDate, item_no: int = 3, status: str = "draft", seq: int = 1):
    """A record stored as the services would have stored it (business dates after today cannot be entered)."""
    clerk = clerk_of("yijiao", f"clerk_cal{seq}")
    return InstitutionRecord.objects.create(
        item=Item.objects.get(no=item_no),
        office=Office.objects.get(code="yijiao"),
        created_by=clerk,
        updated_by=clerk,
        org_name=f"南昌市测试小学{seq}",
        org_code="91350100M000100Y43",
        supervising_authority="南昌市教育局",
        school_type="小学",
        business_date=business_date,
        due_date=due.due,
        due_date_provisional=due.provisional,
        status=status,
        validity_end=date(2031, 12, 28),
    )


# --- the statutory fallback --------------------------------------------------------------------------------------


def test_statutory_holidays_of_2027_are_computed_from_the_lunar_calendar_and_solar_terms():
    assert sorted(statutory_holidays(2027)) == [
        date(2027, 1, 1),  # 元旦
        *(date(2027, 2, d) for d in (5, 6, 7, 8)),  # 春节: 除夕 5 Feb to 初三 8 Feb
        date(2027, 4, 5),  # 清明 (solar term)
        date(2027, 5, 1),
        date(2027, 5, 2),  # 劳动节
        date(2027, 6, 9),  # 端午
        date(2027, 9, 15),  # 中秋
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),  # 国庆
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_computed_statutory_holidays_are_holidays_in_the_official_notices(year):
    """The rule checked against the years whose notice is entered: every computed day is an official holiday."""
    official = set(CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).values_list("date", flat=True))
    assert set(statutory_holidays(year)) <= official


def test_provisional_due_date_for_2027_02_03_skips_the_computed_spring_festival():
    # 4 Feb, then 除夕–初三 (5–8 Feb) and the weekend, then 9–12 and 15–16 Feb.
    assert due_date_for(date(2027, 2, 3), 7) == DueDate(date(2027, 2, 16), True)


def test_workdays_api_gives_the_provisional_spring_festival_date(reviewer_client):
    response = reviewer_client.get("/api/v1/workdays/due-date/", {"start": "2027-02-03", "days": 7})
    assert response.status_code == 200
    assert response.json() == {"due": "2027-02-16", "provisional": True}


def test_a_stored_day_overrides_the_computed_holiday():
    CalendarDay.objects.create(date=date(2027, 2, 8), kind=DayKind.WORKDAY, name="春节调休")
    assert due_date_for(date(2027, 2, 3), 7) == DueDate(date(2027, 2, 15), True)


# --- official only when marked complete ----------------------------------------------------------------------------


def test_entering_only_2027_01_01_does_not_make_2027_official(sysadmin_client):
    response = sysadmin_client.post(
        reverse("admin:credit_calendarday_add"), {"date": "2027-01-01", "kind": DayKind.HOLIDAY, "name": "元旦"}
    )
    assert response.status_code == 302
    assert not CalendarYear.objects.filter(year=2027, complete=True).exists()
    assert due_date_for(date(2027, 2, 3), 7) == DueDate(date(2027, 2, 16), True)


def test_marking_a_year_complete_in_the_admin_makes_its_stored_due_dates_official(sysadmin_client):
    record = stored_record(date(2027, 2, 3), due=DueDate(date(2027, 2, 16), True))
    page = sysadmin_client.get(YEARS_URL).content.decode()
    assert "年度确认" in page and "2027" in page

    # Refused without the notice: the year stays provisional.
    response = sysadmin_client.post(YEARS_URL, {"year": 2027, "complete": "True", "notice": ""})
    assert response.status_code == 200
    assert "请填写放假安排通知" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027, complete=True).exists()

    # The notice (as it will read) moves 春节 to 5–11 Feb with two weekend days worked.
    for day in range(5, 12):
        CalendarDay.objects.create(date=date(2027, 2, day), kind=DayKind.HOLIDAY, name="春节")
    for day in (date(2027, 1, 31), date(2027, 2, 20)):
        CalendarDay.objects.create(date=day, kind=DayKind.WORKDAY, name="春节")
    response = sysadmin_client.post(YEARS_URL, {"year": 2027, "complete": "True", "notice": "国办发明电〔2026〕9号"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete
    record.refresh_from_db()
    # 4 Feb, 12 Feb, 15–19 Feb = seven working days.
    assert (record.due_date, record.due_date_provisional) == (date(2027, 2, 19), False)
    event = RecordEvent.objects.get(record=record, action=EventAction.DUE_DATE)
    assert "2027-02-16" in event.reason and "2027-02-19" in event.reason and "国办发明电〔2026〕9号" in event.reason


def test_a_clerk_cannot_open_the_year_confirmation(client, clerk):
    client.force_login(clerk)
    response = client.get(YEARS_URL)
    assert response.status_code in (302, 403)


# --- changes move stored due dates ---------------------------------------------------------------------------------


def test_marking_a_2026_day_a_holiday_moves_a_stored_due_date_and_notifies_its_office(sysadmin_client):
    record = create_record(3, clerk_of("yijiao", "clerk_cal"), day=date(2026, 11, 27))
    assert (record.due_date, record.due_date_provisional) == (date(2026, 12, 8), False)
    submitted = create_record(3, clerk_of("yijiao", "clerk_cal2"), day=date(2026, 11, 27), status="submitted")

    response = sysadmin_client.post(
        reverse("admin:credit_calendarday_add"), {"date": "2026-11-30", "kind": DayKind.HOLIDAY, "name": "临时调整"}
    )
    assert response.status_code == 302

    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2026, 12, 9), False)
    event = RecordEvent.objects.get(record=record, action=EventAction.DUE_DATE)
    assert "2026-12-08" in event.reason and "2026-12-09" in event.reason
    notice = Notice.objects.get(record=record, kind=NoticeKind.DUE_DATE_CHANGED)
    assert notice.office == record.office and notice.due_date == date(2026, 12, 9)
    assert "2026-12-09" in notice.message
    # A submitted record keeps the official date it was measured against; nobody is told about it.
    submitted.refresh_from_db()
    assert submitted.due_date == date(2026, 12, 8)
    assert not Notice.objects.filter(record=submitted).exists()


def test_the_office_sees_the_due_date_change_in_its_reminder_mail(mailoutbox):
    from credit.services.calendar import calendar_days_changed
    from credit.services.notices import reminders_send

    office = Office.objects.get(code="yijiao")
    office.email = "yijiao@example.cn"
    office.save()
    record = create_record(3, clerk_of("yijiao", "clerk_cal"), day=date(2026, 11, 27))
    CalendarDay.objects.create(date=date(2026, 11, 30), kind=DayKind.HOLIDAY, name="临时调整")
    calendar_days_changed(dates=[date(2026, 11, 30)])
    reminders_send(today=date(2026, 11, 29))
    assert any(f"#{record.pk}" in m.body and "2026-12-09" in m.body for m in mailoutbox)


def test_the_recompute_costs_the_same_queries_for_many_records():
    def changed_queries(n: int, seq: int) -> int:
        for i in range(n):
            stored_record(date(2027, 2, 3), due=DueDate(date(2027, 2, 16), True), seq=seq * 100 + i)
        CalendarDay.objects.create(date=date(2027, 2, 4 + seq), kind=DayKind.HOLIDAY, name="春节")
        with CaptureQueriesContext(connection) as ctx:
            calendar_year_set_complete(year=2027, complete=seq % 2 == 0, notice="国办发明电〔2026〕9号")
        return len(ctx.captured_queries)

    few = changed_queries(2, 1)
    many = changed_queries(30, 2)
    assert many <= few + 2


# --- semiannual due dates -------------------------------------------------------------------------------------------


def test_semiannual_due_date_on_a_weekend_moves_back_to_the_last_working_day():
    item = Item.objects.filter(deadline_kind="semiannual").first()
    assert date(2028, 12, 31).weekday() == 6 and date(2029, 6, 30).weekday() == 5
    assert item_due_date(item, date(2028, 8, 1)) == DueDate(date(2028, 12, 29), True)
    assert item_due_date(item, date(2029, 3, 1)) == DueDate(date(2029, 6, 29), True)
    # A working day stays as it is.
    assert item_due_date(item, date(2026, 3, 1)) == DueDate(date(2026, 6, 30), False)


def test_semiannual_due_date_stays_on_the_period_end_when_the_setting_is_off(settings):
    settings.SEMIANNUAL_DUE_ON_WORKING_DAY = False
    item = Item.objects.filter(deadline_kind="semiannual").first()
    assert item_due_date(item, date(2028, 8, 1)) == DueDate(date(2028, 12, 31), False)
