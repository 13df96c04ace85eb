"""Timeliness and completeness: the figures of a test office equal a hand count in the selector, the page, the API
and the bulletin; provisional due dates are flagged; semiannual reports expected vs received; scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit.models import Office, RecordStatus
from oversight import selectors
from oversight.periods import parse_period
from oversight.services import bulletin_generate
from tests.oversight.conftest import HAND_COUNT, institution, local

MARCH = parse_period("2026-03")
TODAY = datetime.date(2026, 11, 25)


def _figures_of(rows, code):
    return next(r for r in rows if r.office.code == code)


@pytest.mark.django_db
def test_selector_equals_hand_count(march_records):
    rows, total = selectors.timeliness_by_office(period=MARCH, offices=Office.objects.all(), today=TODAY)
    f = _figures_of(rows, "yijiao").figures
    assert {k: getattr(f, k) for k in HAND_COUNT} == HAND_COUNT
    assert f.on_time_rate == 3 / 7
    assert f.submission_rate == 5 / 7
    sheguan = _figures_of(rows, "sheguan")
    assert (sheguan.figures.due, sheguan.figures.on_time, sheguan.rank) == (1, 1, 1)
    assert _figures_of(rows, "yijiao").rank == 2
    assert _figures_of(rows, "office").rank is None  # nothing due: not ranked
    assert (total.due, total.on_time) == (8, 4)


@pytest.mark.django_db
def test_pending_before_the_due_date(clerk_yijiao):
    institution(office="yijiao", due=datetime.date(2026, 3, 20), status=RecordStatus.DRAFT)
    rows, _ = selectors.timeliness_by_office(
        period=MARCH, offices=Office.objects.filter(code="yijiao"), today=datetime.date(2026, 3, 20)
    )
    f = rows[0].figures
    assert (f.due, f.pending, f.overdue) == (1, 1, 0)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_records(clerk_yijiao):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.timeliness_by_office(period=MARCH, offices=Office.objects.all(), today=TODAY)
        return len(ctx)

    institution(office="yijiao", due=datetime.date(2026, 3, 10), status=RecordStatus.DRAFT)
    few = count()
    for day in range(1, 25):
        institution(office="yijiao", due=datetime.date(2026, 3, day), status=RecordStatus.DRAFT)
    assert count() == few


@pytest.mark.django_db
def test_page_shows_the_hand_count_and_flags_provisional(client, clerk_yijiao, general_office_reviewer, march_records):
    client.force_login(general_office_reviewer)
    html = client.get(reverse("oversight:dashboard") + "?period=2026-03").content.decode()
    row = html.split('data-office="yijiao"', 1)[1].split("</tr>", 1)[0]
    for key, value in HAND_COUNT.items():
        if key != "provisional":
            assert f'data-figure="{key}">{value}<' in row, key
    assert "42.9%" in row  # 3/7
    assert "1 条暂定" in row
    page = client.get(reverse("oversight:office", args=["yijiao"]) + "?period=2026-03")
    html = page.content.decode()
    assert html.count('data-timeliness="on_time"') == 3
    assert html.count('data-timeliness="late"') == 2
    assert html.count('data-timeliness="overdue"') == 2
    assert html.count('data-provisional="1"') == 1
    assert "暂定" in html


@pytest.mark.django_db
def test_api_returns_the_hand_count(client, general_office_reviewer, march_records):
    client.force_login(general_office_reviewer)
    body = client.get("/api/v1/oversight/timeliness/?period=2026-03").json()
    row = next(r for r in body["offices"] if r["office"] == "yijiao")
    assert {k: row["figures"][k] for k in HAND_COUNT} == HAND_COUNT
    assert row["figures"]["on_time_rate"] == 3 / 7
    assert body["totals"]["due"] == 8
    assert client.get("/api/v1/oversight/timeliness/?period=2026-3").status_code == 400


@pytest.mark.django_db
def test_bulletin_holds_the_hand_count(general_office_reviewer, march_records):
    bulletin = bulletin_generate(period=MARCH, user=general_office_reviewer, today=TODAY)
    row = next(r for r in bulletin.data["offices"] if r["office_code"] == "yijiao")
    assert {k: row[k] for k in HAND_COUNT} == HAND_COUNT


@pytest.mark.django_db
def test_clerk_sees_only_their_office(client, clerk_yijiao, march_records):
    client.force_login(clerk_yijiao)
    body = client.get("/api/v1/oversight/timeliness/?period=2026-03").json()
    assert [r["office"] for r in body["offices"]] == ["yijiao"]
    assert body["totals"]["due"] == 7
    assert client.get("/api/v1/oversight/timeliness/?period=2026-03&office=sheguan").status_code == 404
    assert client.get("/api/v1/oversight/timeliness/?period=2026-03&office=yijiao").status_code == 200
    page = client.get(reverse("oversight:dashboard") + "?period=2026-03")
    assert [r.office.code for r in page.context["rows"]] == ["yijiao"]
    assert 'data-office="sheguan"' not in page.content.decode()
    assert client.get(reverse("oversight:office", args=["sheguan"])).status_code == 404
    assert client.get(reverse("oversight:office", args=["yijiao"])).status_code == 200
    # Bulletins cover every office: the General Office's.
    assert client.get(reverse("oversight:bulletins")).status_code == 403


@pytest.mark.django_db
def test_semiannual_reports_expected_vs_received(clerk_yijiao):
    from credit.models import Item, TeacherQualificationRecord
    from oversight.aggregates import records_recount
    from tests.factories import clerk_of

    zuren = clerk_of("zuren")
    item1 = Item.objects.get(no=1)
    assert [o.code for o in item1.offices.all()] == ["zuren"]

    def item1_record(due, submitted_at, status):
        return TeacherQualificationRecord.objects.create(
            item=item1,
            office=Office.objects.get(code="zuren"),
            created_by=zuren,
            updated_by=zuren,
            name="张三",
            id_number="11010519491231002X",
            sex="女",
            cert_name="教师资格证",
            cert_number="2026001",
            issue_date=datetime.date(2026, 3, 1),
            grant_date=datetime.date(2026, 3, 1),
            issuing_authority="南昌市教育局",
            cert_status="有效",
            business_date=datetime.date(2026, 3, 1),
            due_date=due,
            validity_end=datetime.date(2031, 3, 1),
            status=status,
            submitted_at=submitted_at,
        )

    made = [
        item1_record(datetime.date(2026, 6, 30), local(2026, 6, 28), RecordStatus.APPROVED),
        item1_record(datetime.date(2026, 6, 30), local(2026, 7, 2), RecordStatus.SUBMITTED),
        item1_record(datetime.date(2026, 12, 31), None, RecordStatus.DRAFT),
    ]
    records_recount([r.pk for r in made])  # made past the services (fixed dates), so past credit's signals
    rows, _ = selectors.timeliness_by_office(period=parse_period("2026"), offices=Office.objects.all(), today=TODAY)
    semi = _figures_of(rows, "zuren").semiannual
    # H2 is due 2026-12-31: on 11-25 it is 未到期, not a missing report (it was counted as one: "0/2" in November).
    assert (semi.expected, semi.received, semi.received_on_time) == (1, 1, 1)
    assert _figures_of(rows, "yijiao").semiannual.expected == 0
    reports = selectors.semiannual_reports(period=parse_period("2026"), offices=Office.objects.all(), today=TODAY)
    assert [(r["due_date"].month, r["received"], r["pending"]) for r in reports] == [
        (6, True, False),
        (12, False, True),
    ]
    # Once past its due date the unreported half-year is expected and missing.
    after = datetime.date(2027, 1, 5)
    rows, _ = selectors.timeliness_by_office(period=parse_period("2026"), offices=Office.objects.all(), today=after)
    semi = _figures_of(rows, "zuren").semiannual
    assert (semi.expected, semi.received, semi.missing) == (2, 1, 1)
    # A month without a semiannual due date expects nothing; June expects H1.
    assert selectors.semiannual_reports(period=MARCH, offices=Office.objects.all()) == []
    june = selectors.semiannual_reports(period=parse_period("2026-06"), offices=Office.objects.all(), today=TODAY)
    assert [(r["office"].code, r["received"], r["records"]) for r in june] == [("zuren", True, 2)]


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_records(client, clerk_yijiao, general_office_reviewer):
    client.force_login(general_office_reviewer)
    url = reverse("oversight:dashboard") + "?period=2026"
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    institution(office="yijiao", due=datetime.date(2026, 3, 10), status=RecordStatus.DRAFT)
    few = count()
    for month in range(1, 13):
        for office in ("yijiao", "sheguan", "pugao"):
            institution(office=office, due=datetime.date(2026, month, 5), status=RecordStatus.DRAFT)
    assert count() == few


@pytest.mark.django_db
def test_bad_period_shows_an_error_and_the_current_year(client, clerk_yijiao):
    client.force_login(clerk_yijiao)
    page = client.get(reverse("oversight:dashboard") + "?period=2026-13")
    assert page.status_code == 200
    assert "统计期间“2026-13”无效" in page.content.decode()
    assert page.context["period"].kind == "year"


@pytest.mark.django_db
def test_records_not_yet_due_do_not_count_against_an_office(clerk_yijiao):
    # Early in a month every record due later is 未到期: the office had failed nothing, yet read 0.0 % and was ranked
    # below offices with nothing due at all. Rates are over the records that have come due.
    for day in (20, 21, 22):
        institution(office="yijiao", due=datetime.date(2026, 3, day), status=RecordStatus.DRAFT)
    institution(office="sheguan", due=datetime.date(2026, 3, 2), status=RecordStatus.DRAFT)  # overdue
    institution(office="sheguan", due=datetime.date(2026, 3, 25), status=RecordStatus.DRAFT)  # not yet due
    rows, total = selectors.timeliness_by_office(
        period=MARCH, offices=Office.objects.filter(code__in=["yijiao", "sheguan"]), today=datetime.date(2026, 3, 10)
    )
    yijiao, sheguan = _figures_of(rows, "yijiao"), _figures_of(rows, "sheguan")
    assert (yijiao.figures.due, yijiao.figures.pending, yijiao.figures.come_due) == (3, 3, 0)
    assert yijiao.figures.on_time_rate is None and yijiao.figures.submission_rate is None
    assert yijiao.rank is None
    assert (sheguan.figures.come_due, sheguan.figures.on_time_rate, sheguan.rank) == (1, 0.0, 1)
    assert total.come_due == 1 and total.on_time_rate == 0.0


@pytest.mark.django_db
def test_the_months_chart_and_table_add_up_to_what_is_due(client, clerk_yijiao, general_office_reviewer):
    import json
    import re

    from django.utils import timezone

    today = timezone.localdate()
    institution(office="yijiao", due=today + datetime.timedelta(days=3), status=RecordStatus.DRAFT)
    client.force_login(general_office_reviewer)
    html = client.get(reverse("oversight:dashboard") + f"?period={today:%Y-%m}").content.decode()
    data = json.loads(
        re.search(r'<script id="oversight-chart-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    month = today.month - 1
    series = {s["label"]: s["data"][month] for s in data["trend"]["series"]}
    assert series["未到期"] == 1
    assert sum(series.values()) == 1  # the bar is the 应报 of the table, not 0 of 1
