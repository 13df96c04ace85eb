"""An impossible date written in an accepted format (2026/2/30, 2026年2月30日) is refused on its cell for what is wrong
with it, “2026年2月没有30日”, not with the format message the clerk already followed."""

from __future__ import annotations

import pytest

from credit import validators
from credit.models import Item, Record
from reporting.columns import template_columns
from reporting.imports import RecordImporter
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

ISSUE_DATE = [c.key for c in template_columns(1)].index("issue_date")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2026/2/30", "2026年2月没有30日（该月只有 28 天）"),
        ("2026年2月30日", "2026年2月没有30日（该月只有 28 天）"),
        ("2025-02-29", "2025年2月没有29日（该月只有 28 天）"),
        ("20260431", "2026年4月没有31日（该月只有 30 天）"),
        ("2026.13.01", "没有13月：月份应为 1 至 12"),
    ],
)
def test_impossible_date_is_refused_for_the_missing_day_naming_row_and_column(clerk_of_item_offices, typed, reason):
    rows = template_rows(1, range(2))
    rows[1][ISSUE_DATE] = typed
    result = RecordImporter(item=Item.objects.get(no=1), office=reporting_office(1), user=clerk_of_item_offices).run(
        workbook_bytes(1, rows)
    )
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [(3, "发证日期", typed, reason)]
    assert Record.objects.count() == 0


@pytest.mark.parametrize("typed", ["2024-02-29", "2026年3月31日", "28/02/2026", "abc", "0000-01-01", ""])
def test_real_dates_and_other_formats_have_no_impossible_date_reason(typed):
    """Real dates parse; other formats keep parse_date's format message."""
    assert validators.impossible_date_reason(typed) is None


def test_a_date_in_another_format_keeps_the_format_message(clerk_of_item_offices):
    rows = template_rows(1, [0])
    rows[0][ISSUE_DATE] = "28/02/2026"
    result = RecordImporter(item=Item.objects.get(no=1), office=reporting_office(1), user=clerk_of_item_offices).run(
        workbook_bytes(1, rows)
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "发证日期")]
    assert "YYYY-MM-DD" in result.errors[0].reason
