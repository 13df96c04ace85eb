"""Upload-template workbooks for the import tests, written with real Excel cell types."""

import datetime
import io

import xlsxwriter

from credit.demo import sample_values
from reporting.columns import template_columns, template_headers


def workbook_bytes(
    no: int,
    rows: list[list],
    header: list[str] | None = None,
    sheet: str = "data",
    stray: tuple[int, int] | None = None,
) -> bytes:
    """An .xlsx of item ``no``'s upload template (its headers unless ``header``) with ``rows`` typed as Excel would,
    and a text "x" at the 0-based (row, column) ``stray`` if given."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    for col, name in enumerate(header or template_headers(no)):
        ws.write_string(0, col, name)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value is not None:
                ws.write_string(r, c, value)
    if stray is not None:
        ws.write_string(*stray, "x")
    wb.close()
    return out.getvalue()


def template_rows(no: int, seqs) -> list[list]:
    """Valid sample rows of item ``no`` in upload-template column order, one per sequence number."""
    keys = [c.key for c in template_columns(no)]
    return [[sample_values(no, seq)[k] for k in keys] for seq in seqs]
