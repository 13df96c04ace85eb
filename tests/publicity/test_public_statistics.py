"""公示统计 (/statistics/): the monthly counts of published licences and penalties by office and type, the annual
行政处罚实施情况 table, their CSV files and the chart's data table, as a visitor reads them.

The data set is small and counted by hand: penalties in two offices (义教处 for schools, item 2; 组人处 for teachers,
item 8) and two categories (警告, 罚款 with a 没收违法所得 imposed beside it), licences of two categories in two
offices, and one of each withdrawn. All of it is decided last year, so every month of that year is past.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.utils import timezone

from publicity.services import licences as lic
from publicity.services.publications import publication_publish, publication_withdraw
from tests.factories import clerk_of
from tests.factories.publicity import licence_values

pytestmark = pytest.mark.django_db

NONE = "本月无此类案件"


def _year() -> int:
    return timezone.localdate().year - 1


def _day(month: int, day: int = 10) -> datetime.date:
    return datetime.date(_year(), month, day)


def _penalty(build, no: int, *, day: datetime.date, category: str, others=(), office: str | None = None, **values):
    """A penalty of item ``no`` decided on ``day``, approved and published with ``category`` (and ``others``)."""
    record = build.record(no, day=day, office_code=office, **values)
    return publication_publish(
        record=record,
        user=build.reviewer,
        decision_number=f"洪教罚〔{day.year}〕{record.pk}号",
        offence_type="违规办学",
        offence_facts="未按规定办理招生备案",
        penalty_basis="《中华人民共和国民办教育促进法》第六十二条",
        penalty_category=category,
        other_categories=list(others),
        period_reason="统计测试" if others else None,
    )


def _licence(build, *, office: str, day: datetime.date, category: str, seq: int):
    data = licence_values(seq=seq)
    data.update(
        {
            "jdrq": day.isoformat(),
            "yxqz": day.isoformat(),
            "yxqzi": (day + datetime.timedelta(days=5 * 365)).isoformat(),
            "xklb": category,
        }
    )
    licence = lic.licence_create(user=clerk_of(office), data=data, submit=True)
    return lic.licence_approve(licence=licence, user=build.reviewer, publish=True)


@pytest.fixture
def counted(build):
    """The hand-counted data set (see the module docstring); returns the withdrawn entries."""
    # 义教处 (item 2): March two warnings and one fine of 0.5 万元 with 没收违法所得 of 0.2 万元; May a fine of 1.25 万元.
    _penalty(build, 2, day=_day(3, 2), category="警告")
    _penalty(build, 2, day=_day(3, 20), category="警告")
    _penalty(
        build,
        2,
        day=_day(3, 25),
        category="罚款",
        others=["没收违法所得"],
        fine_amount="0.5",
        confiscation_amount="0.2",
    )
    _penalty(build, 2, day=_day(5, 6), category="罚款", fine_amount="1.25")
    # 组人处 (item 8): March one warning.
    _penalty(build, 8, day=_day(3, 9), category="警告")
    # Licences: 义教处 March 普通; 社管处 May 认可.
    _licence(build, office="yijiao", day=_day(3, 3), category="普通", seq=901)
    _licence(build, office="sheguan", day=_day(5, 4), category="认可", seq=902)
    # Withdrawn: not counted anywhere.
    gone = _penalty(build, 8, day=_day(3, 12), category="罚款", fine_amount="9")
    publication_withdraw(publication=gone, user=build.reviewer, reason="原处罚决定已撤销")
    gone_licence = _licence(build, office="yijiao", day=_day(3, 14), category="普通", seq=903)
    lic.licence_withdraw(licence=gone_licence, user=build.reviewer, reason="异议成立")


def _cells(row_html: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html)
    ]


def _table(page: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, table_id
    return [_cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]


def _csv(client, name: str, year: int) -> tuple[str, list[list[str]]]:
    response = client.get(f"/statistics/{name}.csv?year={year}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    return text, list(csv.reader(io.StringIO(text)))


def _month(m: int) -> str:
    return f"{_year()}年{m}月"


def test_monthly_counts_equal_a_hand_count(client, counted):
    page = client.get(f"/statistics/?year={_year()}").content.decode()
    monthly = _table(page, "stats-monthly")
    # Rows of a month: licences, then penalties, each by office (in the offices' order) and type (code-table order).
    march = sorted(r for r in monthly if r[0] == _month(3))
    assert march == sorted(
        [
            [_month(3), "行政许可", "义教处", "普通", "1"],
            [_month(3), "行政处罚", "义教处", "警告", "2"],
            [_month(3), "行政处罚", "义教处", "罚款", "1"],
            [_month(3), "行政处罚", "组人处", "警告", "1"],
        ]
    )
    assert [r[1] for r in monthly if r[0] == _month(3)] == ["行政许可", "行政处罚", "行政处罚", "行政处罚"]
    may = [r for r in monthly if r[0] == _month(5)]
    assert may == [
        [_month(5), "行政许可", "社管处", "认可", "1"],
        [_month(5), "行政处罚", "义教处", "罚款", "1"],
    ]
    totals = {r[0]: r[1:] for r in _table(page, "stats-totals")}
    assert len(totals) == 12
    assert totals["3月"] == ["1", "4"] and totals["5月"] == ["1", "1"] and totals["1月"] == ["0", "0"]


def test_annual_penalty_table_equals_a_hand_count(client, counted):
    page = client.get(f"/statistics/?year={_year()}").content.decode()
    header = [
        html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', page.split('id="stats-penalties"')[1])
    ]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in _table(page, "stats-penalties")}
    yijiao, zuren, total = rows["义教处"], rows["组人处"], rows["合计"]
    assert (yijiao["处罚决定（件）"], yijiao["警告"], yijiao["罚款"], yijiao["罚款金额（万元）"]) == (
        "4",
        "2",
        "2",
        "1.75",
    )
    assert (yijiao["没收违法所得"], yijiao["没收违法所得、没收非法财物金额（万元）"]) == ("1", "0.2")
    assert (zuren["处罚决定（件）"], zuren["警告"], zuren["罚款"], zuren["罚款金额（万元）"]) == ("1", "1", "0", "0")
    assert (total["处罚决定（件）"], total["警告"], total["罚款"], total["罚款金额（万元）"]) == ("5", "3", "2", "1.75")
    # Every office that reports a penalty item has its line, with nothing this year: zeros, not a missing row.
    assert rows["普高处"]["处罚决定（件）"] == "0"
    # The columns are the national code table's categories, in its order.
    assert header[2:5] == ["警告", "通报批评", "罚款"] and "责令停产停业" in header and header[-1] == "其他"


def test_a_month_without_cases_says_so(client, counted):
    page = client.get(f"/statistics/?year={_year()}").content.decode()
    monthly = _table(page, "stats-monthly")
    assert [_month(2), "行政许可", NONE] in monthly
    assert [_month(2), "行政处罚", NONE] in monthly
    assert [_month(4), "行政处罚", NONE] in monthly
    # A month with cases of one kind only says so for the other kind alone.
    assert not any(r[:2] == [_month(3), "行政处罚"] and NONE in r for r in monthly)
    # Twelve months, two kinds: each month-kind pair is either counted or marked.
    assert {(r[0], r[1]) for r in monthly} == {(_month(m), k) for m in range(1, 13) for k in ("行政许可", "行政处罚")}


def test_the_csv_files_match_the_page(client, counted):
    year = _year()
    page = client.get(f"/statistics/?year={year}").content.decode()
    text, monthly = _csv(client, "monthly", year)
    assert text.startswith("\ufeff")
    assert monthly[0] == ["\ufeff月份", "类别", "处室", "类型", "件数", "说明"]
    as_page = [[m, k, note] if note else [m, k, office, kind, n] for m, k, office, kind, n, note in monthly[1:]]
    assert as_page == _table(page, "stats-monthly")
    assert [r for r in monthly[1:] if r[5] == NONE][0] == [_month(1), "行政许可", "", "", "0", NONE]

    _text, penalties = _csv(client, "penalties", year)
    header = [
        html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', page.split('id="stats-penalties"')[1])
    ]
    assert penalties[0] == ["\ufeff" + header[0], *header[1:]]
    assert penalties[1:] == _table(page, "stats-penalties")


def test_the_csv_is_named_after_the_year_and_today_in_beijing(client, counted):
    response = client.get(f"/statistics/penalties.csv?year={_year()}")
    today = timezone.localdate()  # Asia/Shanghai
    assert f'filename="statistics-penalties-{_year()}-{today:%Y%m%d}.csv"' in response["Content-Disposition"]


def test_withdrawn_entries_are_not_counted(client, build):
    kept = _penalty(build, 8, day=_day(6), category="罚款", fine_amount="2")
    gone = _penalty(build, 8, day=_day(6, 12), category="罚款", fine_amount="3")
    page = client.get(f"/statistics/?year={_year()}").content.decode()
    assert [_month(6), "行政处罚", "组人处", "罚款", "2"] in _table(page, "stats-monthly")
    publication_withdraw(publication=gone, user=build.reviewer, reason="原处罚决定已撤销")
    page = client.get(f"/statistics/?year={_year()}").content.decode()
    assert [_month(6), "行政处罚", "组人处", "罚款", "1"] in _table(page, "stats-monthly")
    zuren = next(r for r in _table(page, "stats-penalties") if r[0] == "组人处")
    assert zuren[1] == "1" and "2" in zuren and "5" not in zuren
    assert kept.pk


def test_the_default_year_is_this_year_in_beijing(client):
    page = client.get("/statistics/").content.decode()
    year = timezone.localdate().year
    assert f"<h1>{year}年双公示统计</h1>" in page
    # Months still to come this year are not shown as "no cases".
    assert len(_table(page, "stats-totals")) == timezone.localdate().month


@pytest.mark.parametrize("value", ["abc", "1999", "2999", "２０２６", "2026; DROP TABLE", "-1", "20261", "x" * 500])
def test_a_bad_year_answers_a_clear_chinese_message(client, value):
    response = client.get("/statistics/", {"year": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "年份：" in page and "不是可查询的年份" in page and f"{timezone.localdate().year} 年" in page
    assert 'id="stats-monthly"' not in page
    csv_response = client.get("/statistics/monthly.csv", {"year": value})
    assert csv_response.status_code == 400
    assert "年份：" in csv_response.content.decode()


def test_no_personal_data_on_the_page_or_in_the_files(client, counted):
    year = _year()
    shown = client.get(f"/statistics/?year={year}").content.decode()
    shown += _csv(client, "monthly", year)[0] + _csv(client, "penalties", year)[0]
    assert "南昌市启航培训学校" not in shown and "张建国" not in shown
    assert not re.search(r"\d{17}[\dX]", shown)  # no ID number, masked or not
    assert "洪教罚" not in shown and "洪教许" not in shown


def test_the_queries_do_not_grow_with_the_data(client, build, django_assert_max_num_queries):
    """Three aggregate queries (licences, penalties, offices) for a CSV; the page adds none of its own per row."""
    _penalty(build, 2, day=_day(1), category="警告")
    page_url, csv_url = f"/statistics/?year={_year()}", f"/statistics/monthly.csv?year={_year()}"
    with django_assert_max_num_queries(3):
        assert client.get(csv_url).status_code == 200
    with django_assert_max_num_queries(10) as small_page:
        assert client.get(page_url).status_code == 200
    for month in range(2, 9):
        _penalty(build, 2, day=_day(month), category="罚款", fine_amount="1")
        _penalty(build, 8, day=_day(month, 15), category="警告")
        _licence(build, office="yijiao", day=_day(month, 16), category="普通", seq=950 + month)
    with django_assert_max_num_queries(3):
        assert client.get(csv_url).status_code == 200
    with django_assert_max_num_queries(len(small_page.captured_queries)):
        response = client.get(page_url)
    assert [_month(8), "行政许可", "义教处", "普通", "1"] in _table(response.content.decode(), "stats-monthly")


def test_the_column_links_to_the_statistics(client):
    home = client.get("/").content.decode()
    assert 'href="/statistics/"' in home
    assert "公示统计" in home
    open_data = client.get("/open-data/").content.decode()
    assert 'href="/statistics/monthly.csv"' in open_data and 'href="/statistics/penalties.csv"' in open_data


def test_the_chart_uses_the_vendored_chart_js_and_has_its_table(client):
    page = client.get("/statistics/").content.decode()
    assert "/static/oversight/vendor/chartjs/chart.umd.min.js" in page
    assert "cdn" not in page.lower()
    assert 'aria-describedby="stats-totals"' in page and 'id="stats-totals"' in page
    assert 'id="stats-chart-data"' in page


def test_the_page_comes_from_the_cache_until_an_entry_changes(build, client, counted):
    from publicity.pagecache import CACHE_HEADER

    url = f"/statistics/?year={_year()}"
    first = client.get(url)
    assert first[CACHE_HEADER] == "miss"
    assert client.get(url)[CACHE_HEADER] == "hit"
    _penalty(build, 2, day=_day(6, 5), category="警告")  # a new publication: the figures move, the page follows
    again = client.get(url)
    assert again[CACHE_HEADER] == "miss" and again.content != first.content
