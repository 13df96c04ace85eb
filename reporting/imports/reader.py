"""Reading a filled upload template: the file-level safety check, the header, the data rows and their cells.

Excel's cell types are turned into what a clerk would have typed in the form (Excel numbers → digits, Excel dates →
dates); a number in a text column whose digits Excel may have lost (16 or more significant digits) is refused.
The error copy's trailing notes column (错误说明) is skipped, so that a corrected error copy uploads as it is.
"""

from __future__ import annotations

import datetime
import decimal
import io
import math
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from core.errors import DomainError
from credit.models import Item
from credit.validators import impossible_date_reason
from reporting.columns import ERROR_NOTES_COLUMN, Column, import_columns, optional_columns, template_headers
from reporting.xlsx_safety import UnsafeWorkbook, check_sheet_bounds, check_xlsx, sheet_within_bounds


class ImportRejected(DomainError):
    """The file as a whole cannot be imported (unsafe, unreadable, wrong header): an error of the ``file`` field, so
    the upload form shows it under the file and the API answers 400 ``{"file": [message]}``; ``str(exc)`` is the
    message (the import job's page shows it as it is)."""

    default_code = "rejected"

    def __init__(self, message: str):
        super().__init__({"file": [message]})


@dataclass(frozen=True)
class Sheet:
    """The data of an upload: the leading columns it has (update mode: ``UPDATE_LEADING_COLUMNS`` found at the start of
    the header, in the file's order), how many template columns it has (the Annex 1 ones and the first few optional
    ones) and (Excel row number, cells) of every non-empty data row: the leading cells, then the template's cells as
    wide as ``import_columns`` (the optional cells the file has no column for empty)."""

    leading: tuple[str, ...]
    read: int
    rows: list[tuple[int, list[Any]]]


def read_rows(data: bytes, *, item: Item, max_rows: int | None = None) -> list[tuple[int, list[Any]]]:
    """(Excel row number, cells) of every non-empty data row, each as wide as ``import_columns`` (the optional cells
    the file has no column for empty); raises ImportRejected for file-level problems."""
    return read_sheet(data, item=item, max_rows=max_rows).rows


def read_sheet(data: bytes, *, item: Item, max_rows: int | None = None, leading: tuple[str, ...] = ()) -> Sheet:
    """The upload's data rows (``Sheet``); the header may begin with any of the ``leading`` column names, each at
    most once. Raises ImportRejected for file-level problems."""
    width = len(import_columns(item.no))
    limit = settings.REPORTING_IMPORT_MAX_ROWS if max_rows is None else max_rows
    try:
        check_xlsx(data)
        # Before calamine builds its dense table: the header row plus ``limit`` data rows; a few columns past the
        # template so that the header check below can name stray columns, far-off ones are refused here.
        check_sheet_bounds(
            data,
            max_rows=limit + 1,
            max_columns=len(leading) + width + settings.REPORTING_IMPORT_EXTRA_COLUMNS,
        )
    except UnsafeWorkbook as exc:
        raise ImportRejected(str(exc)) from exc
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        table = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise ImportRejected(_("无法读取工作簿：%(error)s") % {"error": exc}) from exc
    if not table:
        raise ImportRejected(_("第一个工作表是空的：请在上传模板的第一个工作表中填写。"))
    found: list[str] = []
    for cell in table[0]:
        name = str(cell).strip() if cell is not None else ""
        if name not in leading or name in found:
            break
        found.append(name)
    lead = len(found)
    read = check_header(_without_error_notes(list(table[0][lead:])), item=item, offset=lead)
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        head = list(cells[:lead]) + [""] * (lead - len(cells[:lead]))
        body = list(cells[lead : lead + read])
        body += [""] * (width - len(body))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in head + body):
            continue
        rows.append((index, head + body))
    if len(rows) > limit:
        raise ImportRejected(
            _("数据行过多（%(n)s 行，上限 %(max)s 行），请分批导入。") % {"n": len(rows), "max": limit}
        )
    _refuse_data_on_other_sheets(
        data,
        workbook,
        item=item,
        max_rows=limit + 1,
        max_columns=len(leading) + width + settings.REPORTING_IMPORT_EXTRA_COLUMNS,
    )
    return Sheet(leading=tuple(found), read=read, rows=rows)


def _refuse_data_on_other_sheets(data: bytes, workbook, *, item: Item, max_rows: int, max_columns: int) -> None:
    """Refuse a workbook whose other sheets also hold rows under the item's template header: only the first sheet is
    imported, and rows on a second one (a clerk who split the records over two sheets) would otherwise be dropped
    without a word. Sheets of another shape (填写说明, the error copy's 错误汇总, notes) are not read. A sheet larger
    than an upload may be is not read either (the reader builds a dense table of what it reads), so is not checked."""
    headers = template_headers(item.no)
    names = workbook.sheet_names
    for index in range(1, len(names)):
        if not sheet_within_bounds(data, index, max_rows=max_rows, max_columns=max_columns):
            continue
        try:
            table = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, IndexError, OSError):
            continue
        if not table:
            continue
        header = [str(c).strip() if c is not None else "" for c in table[0]]
        starts = [i for i in range(len(header) - len(headers) + 1) if header[i : i + len(headers)] == headers]
        has_rows = any(any(c is not None and str(c).strip() for c in row) for row in table[1:])
        if starts and has_rows:
            raise ImportRejected(
                _(
                    "工作表“%(sheet)s”（第 %(n)s 个工作表）也有“%(item)s”上传模板的表头和数据行，但导入只读取第一个工作表"
                    "“%(first)s”，其他工作表中的记录不会导入。请把这些行移到第一个工作表（或另存为单独的文件分别上传），"
                    "再删除该工作表后重新上传。"
                )
                % {"sheet": names[index], "n": index + 1, "item": item.name, "first": names[0]}
            )


def _without_error_notes(header: list[Any]) -> list[Any]:
    """``header`` without the error copy's notes column (``ERROR_NOTES_COLUMN``) when that is its last named column:
    a corrected error copy uploads again as it is, its notes not read."""
    names = [str(c).strip() if c is not None else "" for c in header]
    while names and not names[-1]:
        names.pop()
    if names and names[-1] == ERROR_NOTES_COLUMN:
        return header[: len(names) - 1]
    return header


def check_header(header: list[Any], *, item: Item, offset: int = 0) -> int:
    """The number of columns to read: the item's template header, optionally followed by the first few of its
    optional columns (``optional_columns``: the business-date column, then the national ones) in their order.
    Raises ImportRejected, naming up to five wrong columns, for any other header. ``offset``: the leading columns
    before ``header`` in the sheet (update mode), for the column letters of the message."""
    expected = template_headers(item.no)
    actual = [str(c).strip() if c is not None else "" for c in header]
    while actual and not actual[-1]:
        actual.pop()
    optional = [column.name for column in optional_columns(item.no)]
    if actual[: len(expected)] == expected and actual[len(expected) :] == optional[: len(actual) - len(expected)]:
        return len(actual)
    if len(actual) > len(expected) and actual[: len(expected)] == expected:
        expected = expected + optional[: len(actual) - len(expected)]
    problems = []
    for i in range(max(len(expected), len(actual))):
        want = expected[i] if i < len(expected) else None
        got = actual[i] if i < len(actual) else None
        if want != got:
            col = xlsxwriter.utility.xl_col_to_name(i + offset)
            if want is None:
                problems.append(_("%(col)s列“%(got)s”是多余的列") % {"col": col, "got": got})
            elif not got:
                problems.append(_("%(col)s列应为“%(want)s”，实为空") % {"col": col, "want": want})
            else:
                problems.append(_("%(col)s列应为“%(want)s”，实为“%(got)s”") % {"col": col, "want": want, "got": got})
        if len(problems) >= 5:
            break
    raise ImportRejected(
        _("表头与“%(item)s”上传模板不符（第一个工作表第1行须依次为：%(names)s）。%(problems)s。请下载最新模板填写。")
        % {"item": item.name, "names": "、".join(expected), "problems": "；".join(problems)}
    )


def cell_input(column: Column, value: Any) -> tuple[Any, str | None]:
    """The form input for one cell, or an error reason."""
    if value is None:
        return "", None
    if isinstance(value, str):
        text = value.strip()
        if column.type == "date" and (reason := impossible_date_reason(text)):
            return "", reason  # 2026/2/30: the format is right, the day does not exist; say that, not the format
        return text, None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, datetime.datetime):
        return (value if column.type == "date" else value.date().isoformat()), None
    if isinstance(value, datetime.date):
        return (value if column.type == "date" else value.isoformat()), None
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value), None
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return "", _("数值无效")
        if column.type == "date":
            return number, None  # an Excel date serial without a date format: parse_date handles it
        if column.is_identifier and (abs(number) >= 1e15 or not number.is_integer()):
            return "", _(
                "该号码被 Excel 存成了数字（显示为 %(shown)s），末几位已丢失；请把该列设为“文本”格式后重新输入完整号码"
            ) % {"shown": f"{number:.14E}"}
        if column.is_text and not _exact_as_typed(number):
            return "", _(
                "该单元格被 Excel 存成了数字（显示为 %(shown)s）：Excel 只保留数字的前 15 位，超出的位数已丢失；"
                "请把该列设为“文本”格式后重新输入完整内容"
            ) % {"shown": shown(number)}
        return _digits_text(number), None
    return str(value), None


def shown(value: Any) -> str:
    """A cell's value as the clerk sees it, for error messages and the error copy."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _digits_text(value) if abs(value) < 1e15 else f"{value:.14E}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _exact_as_typed(number: float) -> bool:
    """Whether an Excel number can be exactly what the clerk typed: Excel keeps 15 significant digits, so an integer
    of 16 digits or more (a 17-digit 证书编号) has lost its last ones, and a fraction whose shortest form needs more
    than 15 digits was never typed so."""
    if abs(number) >= 1e15:
        return False
    if number.is_integer():
        return True
    return len(decimal.Decimal(repr(number)).normalize().as_tuple().digits) <= 15


def _digits_text(number: float) -> str:
    if number.is_integer():
        return str(int(number))
    return repr(number)
