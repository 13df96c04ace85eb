"""Only the first worksheet is imported: rows under the template header on another worksheet refuse the file, naming
that sheet, instead of being dropped without a word; sheets of another shape (填写说明, notes) are not in the way."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from credit.models import Item, Record
from reporting.columns import template_headers
from reporting.imports import RecordImporter
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows


def _workbook(no: int, sheets: dict[str, list[list]]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write_string(r, c, str(value))
    workbook.close()
    return out.getvalue()


def _run(no: int, user, data: bytes):
    return RecordImporter(item=Item.objects.get(no=no), office=reporting_office(no), user=user).run(data)


@pytest.mark.django_db
def test_rows_under_the_template_header_on_a_second_sheet_refuse_the_file_naming_it(clerk_of_item_offices):
    header = template_headers(1)
    rows = template_rows(1, range(3))
    data = _workbook(1, {"第一批": [header, rows[0]], "第二批": [header, rows[1], rows[2]]})
    result = _run(1, clerk_of_item_offices, data)
    assert not result.ok
    assert "第二批" in result.message and "第 2 个工作表" in result.message and "只读取第一个工作表" in result.message
    assert Record.objects.count() == 0


@pytest.mark.django_db
def test_other_sheets_without_template_rows_do_not_refuse_the_file(clerk_of_item_offices):
    header = template_headers(1)
    rows = template_rows(1, range(1))
    data = _workbook(
        1,
        {
            "数据": [header, rows[0]],
            "填写说明": [["列名", "格式"], ["姓名", "文本"]],
            "空模板": [header],  # the header alone, no rows
        },
    )
    result = _run(1, clerk_of_item_offices, data)
    assert result.ok, (result.message, result.errors)
    assert Record.objects.count() == 1
