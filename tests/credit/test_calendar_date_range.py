"""The working-day calendar holds only dates between 1949-01-01 and 2100-12-31, the range every other date of the
portal keeps to (the due-date API's 业务发生日期). A typo like 9999-01-01 is refused with a message naming the field;
a row stored before that rule (or by a bulk write) never makes the admin's date hierarchy answer 500, and the year
confirmation never offers its year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit.models import CalendarDay, CalendarYear, DayKind
from credit.services.calendar import calendar_import_csv, calendar_year_set_complete

pytestmark = pytest.mark.django_db

CALENDAR_LIST = reverse("admin:credit_calendarday_changelist")
CALENDAR_ADD = reverse("admin:credit_calendarday_add")
YEARS_URL = reverse("admin:credit_calendarday_years")
RANGE_MESSAGE = "日期应在 1949-01-01 至 2100-12-31 之间。"
FIRST, LAST = datetime.date(1949, 1, 1), datetime.date(2100, 12, 31)


@pytest.fixture
def sysadmin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def test_the_calendar_keeps_to_the_due_date_api_range():
    from credit.api.serializers import DUE_DATE_START_MAX, DUE_DATE_START_MIN
    from credit.models.calendar import CALENDAR_DATE_MAX, CALENDAR_DATE_MIN

    assert (CALENDAR_DATE_MIN, CALENDAR_DATE_MAX) == (FIRST, LAST)
    assert (DUE_DATE_START_MIN, DUE_DATE_START_MAX) == (CALENDAR_DATE_MIN, CALENDAR_DATE_MAX)


@pytest.mark.parametrize("typed", ["9999-01-01", "1800-01-01", "１８００-01-01", "2101-01-01", "1948-12-31"])
def test_the_admin_form_refuses_a_date_out_of_range_naming_the_field(sysadmin_client, typed):
    response = sysadmin_client.post(CALENDAR_ADD, {"date": typed, "kind": DayKind.HOLIDAY, "name": "元旦"})
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not CalendarDay.objects.exclude(date__range=(FIRST, LAST)).exists()


@pytest.mark.parametrize("day", [FIRST, LAST])
def test_the_admin_form_accepts_the_range_ends(sysadmin_client, day):
    response = sysadmin_client.post(CALENDAR_ADD, {"date": day.isoformat(), "kind": DayKind.HOLIDAY, "name": "节日"})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=day).exists()


def test_the_model_refuses_a_date_out_of_range():
    with pytest.raises(ValidationError) as exc:
        CalendarDay(date=datetime.date(9999, 1, 1), kind=DayKind.HOLIDAY).full_clean()
    assert exc.value.message_dict == {"date": [RANGE_MESSAGE]}


def test_the_csv_import_refuses_a_date_out_of_range():
    with pytest.raises(ValidationError) as exc:
        calendar_import_csv(data="2099-01-01,holiday,元旦\n9999-01-01,holiday,元旦\n")
    assert exc.value.messages == ["第2行“日期”列：" + RANGE_MESSAGE]
    assert not CalendarDay.objects.filter(date__year__in=(2099, 9999)).exists()


@pytest.fixture
def stored_out_of_range():
    """Rows stored before the range was enforced (bulk writes skip the validators)."""
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=datetime.date(9999, 1, 1), kind=DayKind.HOLIDAY, name="元旦"),
            CalendarDay(date=datetime.date(9999, 12, 31), kind=DayKind.HOLIDAY, name="除夕"),
            CalendarDay(date=datetime.date(1800, 1, 1), kind=DayKind.HOLIDAY, name="元旦"),
            CalendarDay(date=datetime.date(2099, 1, 1), kind=DayKind.HOLIDAY, name="元旦"),
        ]
    )
    CalendarDay.objects.filter(date=datetime.date(2099, 1, 1)).update(date=datetime.date(1800, 6, 1))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date__year=9999", {"9999-01-01", "9999-12-31"}),
        ("date__year=9999&date__month=1", {"9999-01-01"}),
        ("date__year=9999&date__month=12", {"9999-12-31"}),
        ("date__year=9999&date__month=12&date__day=31", {"9999-12-31"}),
        ("date__year=1800", {"1800-01-01", "1800-06-01"}),
        ("", None),
    ],
)
def test_the_date_hierarchy_shows_a_stored_out_of_range_day_without_failing(
    sysadmin_client, stored_out_of_range, query, expected
):
    response = sysadmin_client.get(f"{CALENDAR_LIST}?{query}")
    assert response.status_code == 200
    if expected is not None:
        shown = {day.date.isoformat() for day in response.context["cl"].result_list}
        assert shown == expected
    # The admin is told which stored days lie out of range, so that it can correct or delete them.
    assert "超出 1949-01-01 至 2100-12-31" in response.content.decode()


def test_the_year_confirmation_does_not_offer_out_of_range_years(sysadmin_client, stored_out_of_range):
    CalendarYear.objects.bulk_create([CalendarYear(year=1900), CalendarYear(year=9999, complete=True)])
    response = sysadmin_client.get(YEARS_URL)
    assert response.status_code == 200
    years = {row["year"] for row in response.context["years"]}
    assert years and all(FIRST.year <= y <= LAST.year for y in years), years


@pytest.mark.parametrize("year", [1800, 1900, 2101, 9999])
def test_the_year_confirmation_refuses_an_out_of_range_year(sysadmin_client, year):
    response = sysadmin_client.post(YEARS_URL, {"year": year, "complete": "False", "notice": ""})
    assert response.status_code == 200
    assert "年度应在 1949 至 2100 之间。" in response.content.decode()
    assert not CalendarYear.objects.filter(year=year).exists()
    with pytest.raises(ValidationError) as exc:
        calendar_year_set_complete(year=year, complete=False)
    assert exc.value.message_dict == {"year": ["年度应在 1949 至 2100 之间。"]}
