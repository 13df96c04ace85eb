"""The error copy of a refused upload: the clerk's data with every bad cell marked, and a sheet listing all errors."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import xlsxwriter

from credit.models import Item
from reporting.columns import ERROR_NOTES_COLUMN, import_columns, item_sheet_name
from reporting.imports.reader import shown
from reporting.imports.rows import CellError


def write_error_copy(
    target,
    *,
    item: Item,
    rows: Iterable[tuple[int, list[Any]]],
    errors: list[CellError],
    read: int,
    leading: tuple[str, ...] = (),
) -> None:
    """A copy of the uploaded data with every bad cell filled red and commented, each bad row's reasons in a last
    column (``ERROR_NOTES_COLUMN``, which the reader skips), and a sheet listing all errors.
    ``read``: how many of the template's columns the upload had (``ImportResult.read``); ``leading``: the update
    mode's leading columns it had (记录编号, 变更理由), before the template's.

    The copy has the upload's columns and no others, in its order: a corrected copy uploaded again reads as the
    upload did, and an optional column the clerk left out is not added empty (which an update would read as "clear
    this field" on every row).

    Rows are written at their original Excel row numbers so the clerk finds them where they were; every value as
    text (``write_string``) so nothing in the copy can become a formula.
    """
    names = [*leading, *(column.name for column in import_columns(item.no)[:read])]
    workbook = xlsxwriter.Workbook(
        target, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    workbook.set_properties({"created": datetime.datetime(2000, 1, 1)})
    sheet = workbook.add_worksheet(item_sheet_name(item.name))
    bad = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "@"})
    bad_row = workbook.add_format({"bg_color": "#FFEB9C", "num_format": "@"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, len(names), 20, text)
    for col, name in enumerate(names):
        sheet.write_string(0, col, name, header)
    sheet.write_string(0, len(names), ERROR_NOTES_COLUMN, header)
    by_cell: dict[tuple[int, int], list[str]] = {}
    by_row: dict[int, list[str]] = {}
    for error in errors:
        if error.col_index is not None:
            by_cell.setdefault((error.row, error.col_index), []).append(error.reason)
        by_row.setdefault(error.row, []).append(f"{error.column}：{error.reason}" if error.column else error.reason)
    for row_no, cells in rows:
        r = row_no - 1
        for col, value in enumerate(cells[: len(names)]):
            text_value = shown(value)
            reasons = by_cell.get((row_no, col))
            if reasons:
                sheet.write_string(r, col, text_value, bad)
                sheet.write_comment(r, col, "；".join(reasons), {"x_scale": 2, "y_scale": 2})
            elif text_value:
                sheet.write_string(r, col, text_value, bad_row if row_no in by_row else text)
        if row_no in by_row:
            sheet.write_string(r, len(names), "；".join(by_row[row_no]), bad_row)
    summary = workbook.add_worksheet("错误汇总")
    for col, title in enumerate(["行号", "列名", "填写的值", "原因"]):
        summary.write_string(0, col, title, header)
    summary.set_column(0, 0, 8)
    summary.set_column(1, 2, 24)
    summary.set_column(3, 3, 80)
    for i, error in enumerate(errors, start=1):
        summary.write_number(i, 0, error.row)
        summary.write_string(i, 1, error.column or "（整行）")
        summary.write_string(i, 2, error.value)
        summary.write_string(i, 3, error.reason)
    workbook.close()
