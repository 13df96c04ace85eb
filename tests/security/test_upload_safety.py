"""Uploaded workbooks are checked before any parser sees them: macros, zip bombs, entity bombs and cells far outside
the template (which would make the sheet reader allocate a dense table) are refused."""

import io
import tracemalloc
import zipfile

import pytest
import xlsxwriter

from credit.models import Item
from reporting.columns import template_headers
from reporting.imports import ImportRejected
from reporting.imports import reader as import_reader
from reporting.xlsx_safety import UnsafeWorkbook, check_sheet_bounds, check_xlsx


def _workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("教师行政处罚").write(0, 0, "姓名")
    book.close()
    return buffer.getvalue()


def _rewrite(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10) for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
)


def test_a_plain_workbook_passes():
    check_xlsx(_workbook())


def test_a_billion_laughs_workbook_is_refused_before_parsing():
    bomb = _rewrite(_workbook(), replace={"xl/sharedStrings.xml": BILLION_LAUGHS})
    with pytest.raises(UnsafeWorkbook, match="DTD"):
        check_xlsx(bomb)


def test_an_external_entity_in_the_workbook_part_is_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook>&e;</workbook>'
    with pytest.raises(UnsafeWorkbook):
        check_xlsx(_rewrite(_workbook(), replace={"xl/workbook.xml": xxe}))


def test_a_macro_workbook_is_refused():
    with pytest.raises(UnsafeWorkbook, match="宏"):
        check_xlsx(_rewrite(_workbook(), add={"xl/vbaProject.bin": b"\x00" * 64}))


def test_a_zip_bomb_is_refused():
    bomb = _rewrite(_workbook(), add={"xl/media/padding.bin": b"\x00" * (300 * 1024 * 1024)})
    with pytest.raises(UnsafeWorkbook, match="压缩炸弹"):
        check_xlsx(bomb)


def _far_corner_workbook(no: int = 6) -> bytes:
    """Item ``no``'s template header and one value at the sheet's last cell, XFD1048576: a few KB on disk, about
    1.7×10¹⁰ cells for a reader that builds the dense range."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("data")
    for col, name in enumerate(template_headers(no)):
        sheet.write_string(0, col, name)
    sheet.write_string(1048575, 16383, "x")
    book.close()
    return buffer.getvalue()


def test_a_value_at_the_far_corner_is_refused_in_constant_memory():
    data = _far_corner_workbook()
    assert len(data) < 10_000
    check_xlsx(data)  # small, no macro, no bomb: the zip-level checks let it through
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeWorkbook) as refused:
            check_sheet_bounds(data, max_rows=10_001, max_columns=20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A reader that built the dense range (1.7×10¹⁰ cells) would pass this long before it finished.
    assert peak < 2 * 1024 * 1024
    message = str(refused.value)
    assert "XFD1048576" in message and "10001 行" in message and "10000 行数据" in message and "20 列" in message


@pytest.mark.django_db
def test_the_import_reader_refuses_the_far_corner_before_the_sheet_is_parsed(monkeypatch):
    class SheetReaderMustNotRun:
        @staticmethod
        def from_filelike(*args, **kwargs):
            raise AssertionError("the sheet was handed to the reader")

    monkeypatch.setattr(import_reader, "CalamineWorkbook", SheetReaderMustNotRun)
    with pytest.raises(ImportRejected, match="超出范围.*XFD1048576.*行数据"):
        import_reader.read_rows(_far_corner_workbook(6), item=Item.objects.get(no=6))


def test_rows_without_a_reference_are_counted_like_the_reader_does():
    rows = b"".join(b'<row><c t="inlineStr"><is><t>v</t></is></c></row>' for _ in range(3))
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )
    data = _rewrite(_workbook(), replace={"xl/worksheets/sheet1.xml": sheet})
    check_sheet_bounds(data, max_rows=3, max_columns=1)
    with pytest.raises(UnsafeWorkbook, match="A3"):
        check_sheet_bounds(data, max_rows=2, max_columns=1)


def test_a_formatted_empty_cell_far_away_is_not_refused():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("data")
    sheet.write_string(0, 0, "姓名")
    sheet.write_blank(1048575, 16383, None, book.add_format({"bold": True}))  # no value: the reader skips it
    book.close()
    check_sheet_bounds(buffer.getvalue(), max_rows=2, max_columns=1)


def test_a_far_value_is_found_whatever_the_namespace_prefix():
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><x:worksheet '
        b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>h</x:t></x:is></x:c></x:row>'
        b'<x:row r="900000"><x:c r="ZZ900000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    data = _rewrite(_workbook(), replace={"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(UnsafeWorkbook, match="ZZ900000"):
        check_sheet_bounds(data, max_rows=10, max_columns=5)
