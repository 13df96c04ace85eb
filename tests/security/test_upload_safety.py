"""Uploaded workbooks are checked before any parser sees them: macros, zip bombs and entity bombs are refused."""

import io
import zipfile

import pytest
import xlsxwriter

from reporting.xlsx_safety import UnsafeWorkbook, check_xlsx


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
