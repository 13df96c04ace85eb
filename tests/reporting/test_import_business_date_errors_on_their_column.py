"""Where the business date derives from a column (the catalogue's ``business_date_field``: item 8's 处罚日期), its
errors are that column's: a future 处罚日期 is reported once, on 处罚日期, not again as a whole-row error about a
业务发生日期 column the template does not have."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credit.models import Item, Record
from reporting.columns import template_columns
from reporting.imports import RecordImporter
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _import(no: int, user, rows):
    return RecordImporter(item=Item.objects.get(no=no), office=reporting_office(no), user=user).run(
        workbook_bytes(no, rows)
    )


def test_future_decision_date_is_one_error_on_the_decision_date_column(clerk_of_item_offices):
    keys = [c.key for c in template_columns(8)]
    rows = template_rows(8, range(2))
    future = timezone.localdate() + datetime.timedelta(days=3)
    rows[1][keys.index("penalty_date")] = future.isoformat()
    result = _import(8, clerk_of_item_offices, rows)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "处罚日期", future.isoformat())]
    assert "不能晚于今天" in result.errors[0].reason
    assert Record.objects.count() == 0
