"""Long digit strings in text columns: Excel keeps 15 significant digits of a number, so the template formats code-like
columns (certificate and document numbers, as the catalogue's keys name them) as text, and an import refuses a
number Excel may have cut short in any text column, naming the row and column, instead of storing other digits."""

from __future__ import annotations

import io

import openpyxl
import pytest

from credit.catalog import ItemSpec
from credit.models import Item, Record
from credit.registry import model_for_item
from reporting.columns import template_columns, template_headers
from reporting.exporters import INSTRUCTIONS_SHEET, UploadTemplateExporter
from reporting.imports import RecordImporter
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _import(no: int, user, rows: list[list]):
    return RecordImporter(item=Item.objects.get(no=no), office=reporting_office(no), user=user).run(
        workbook_bytes(no, rows)
    )


def _position(no: int, key: str) -> int:
    return [c.key for c in template_columns(no)].index(key)


def _text_formatted(no: int) -> set[str]:
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=no)).write(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    names = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            names[index] = dimension.number_format
    return {cell.value for cell in sheet[1] if names.get(cell.column) == "@"}


def test_blank_template_formats_certificate_and_document_number_columns_as_text():
    """Item 1's 证书编号 (17 digits, part of its duplicate key) and every other catalogue field whose key names a
    number or code, besides the ID and credit-code columns."""
    assert {"身份证号码", "证书编号"} <= _text_formatted(1)
    assert "认定证书编号" in _text_formatted(4)
    assert "表彰文号" in _text_formatted(6)
    assert "处罚文书编号" in _text_formatted(8)
    # Dates, choices and names are not: a date typed into a text cell would stay text.
    assert not {"姓名", "发证日期", "证书状态"} & _text_formatted(1)


def test_blank_template_instructions_name_the_text_columns_and_the_15_digit_limit():
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=1)).write(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))[INSTRUCTIONS_SHEET]
    notes = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "身份证号码、证书编号" in notes and "15 位" in notes


def test_seventeen_digit_certificate_number_stored_as_a_number_is_refused_naming_row_and_column(
    clerk_of_item_offices,
):
    """The tester typed 20193600142001201 into 证书编号; Excel kept 20193600142001200. Before, that was imported."""
    rows = template_rows(1, range(2))
    rows[1][_position(1, "cert_number")] = 20193600142001201.0
    result = _import(1, clerk_of_item_offices, rows)
    assert [(e.row, e.column) for e in result.errors] == [(3, "证书编号")]
    reason = result.errors[0].reason
    assert "Excel" in reason and "15 位" in reason and "文本" in reason
    assert result.errors[0].value.endswith("E+16")
    assert Record.objects.count() == 0


def test_long_number_in_a_free_text_column_is_refused(clerk_of_item_offices):
    """Not only code-like columns: any text column (here item 8's 违法行为（案由）)."""
    rows = template_rows(8, [0])
    rows[0][_position(8, "offence")] = 1234567890123456789.0
    result = _import(8, clerk_of_item_offices, rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "违法行为（案由）")]
    assert "Excel" in result.errors[0].reason


def test_fraction_that_cannot_be_what_was_typed_is_refused_in_a_text_column(clerk_of_item_offices):
    rows = template_rows(1, [0])
    rows[0][_position(1, "cert_number")] = 1 / 3  # a computed value pasted as a number: 16 significant digits
    result = _import(1, clerk_of_item_offices, rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "证书编号")]


def test_short_numbers_in_text_columns_are_taken_as_typed(clerk_of_item_offices):
    """Fifteen digits or fewer are what the clerk typed: Excel keeps them exactly."""
    rows = template_rows(1, range(2))
    rows[0][_position(1, "cert_number")] = 123456789012345.0
    rows[1][_position(1, "cert_number")] = 2019.5
    result = _import(1, clerk_of_item_offices, rows)
    assert result.ok, result.errors
    stored = sorted(model_for_item(1).objects.values_list("cert_number", flat=True))
    assert stored == ["123456789012345", "2019.5"]


def test_every_item_has_a_text_formatted_column_per_code_field_of_the_catalogue():
    """From the catalogue, not from item numbers: a text field whose key names a number or code."""
    for spec in ItemSpec.all():
        coded = {f.name for f in spec.fields if f.type == "text" and f.key.endswith(("_number", "_code"))}
        assert coded <= _text_formatted(spec.no), spec.no
    assert template_headers(1)[_position(1, "cert_number")] == "证书编号"
