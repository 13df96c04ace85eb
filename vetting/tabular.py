"""Reading the tables the credit checks take (candidate lists, external lists): .xlsx through reporting's hardened
checks (zip bombs, macros, DTDs, far-off cells refused before parsing) and calamine, or CSV (UTF-8 or GB18030, as
Excel saves it). Headers are matched by name, in any order, so a list as received needs no re-typing; identifiers
are recognised as an 18-digit ID number (GB 11643) or an organisation code (USCC and the older codes).

An identifier Excel stored as a number is refused, never guessed at: a float keeps 15-16 significant digits, so an
18-digit ID number comes back with its last digits changed, and about one time in eleven as another person's valid
number (the listed person then checks clear and a stranger is reported). Like reporting's import
(``reporting.imports.reader.cell_input``), the message says so and asks for the column as text."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from core.errors import DomainError
from credit import validators
from credit.models import SubjectKind
from reporting.imports.reader import shown as shown_in_excel
from reporting.xlsx_safety import UnsafeWorkbook, check_sheet_bounds, check_xlsx

MAX_COLUMNS = 30


class TableRejected(DomainError):
    """The file as a whole cannot be read (its kind, safety, header); an error of the ``file`` field."""

    def __init__(self, message: str):
        super().__init__({"file": [_("文件：%(reason)s") % {"reason": message}]})


class NumberCell(str):
    """The text of a cell the workbook stores as a number, keeping the number: an identifier read from it may not be
    the one typed (``parse_identifier`` refuses it)."""

    number: float

    def __new__(cls, number: float) -> NumberCell:
        text = str(int(number)) if math.isfinite(number) and number.is_integer() else repr(number)
        made = super().__new__(cls, text)
        made.number = number
        return made

    @property
    def shown(self) -> str:
        """The number as the user sees it in the cell (as reporting's import shows it: Excel's 1.23456789012345E+17)."""
        return shown_in_excel(self.number)

    @property
    def digits_lost(self) -> bool:
        """Whether the number cannot be the exact integer typed: 1e15 and above (an 18-digit ID number or credit
        code always is), or with a fraction."""
        return not math.isfinite(self.number) or abs(self.number) >= 1e15 or not self.number.is_integer()


# How Excel writes a long number to CSV (General format): "4.20102E+17". The digits are gone before we read it.
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return NumberCell(float(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_table(data: bytes, *, file_name: str, max_rows: int) -> list[list[str]]:
    """The first sheet (or the CSV) as rows of text cells, header first; at most ``max_rows`` data rows."""
    if not data:
        raise TableRejected(_("文件是空的。"))
    if file_name.lower().endswith(".csv"):
        return _read_csv(data, max_rows=max_rows)
    try:
        check_xlsx(data)
        check_sheet_bounds(data, max_rows=max_rows + 1, max_columns=MAX_COLUMNS)
    except UnsafeWorkbook as exc:
        raise TableRejected(str(exc)) from exc
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        table = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise TableRejected(_("无法读取工作簿：%(error)s") % {"error": exc}) from exc
    return [[_cell_text(c) for c in row] for row in table]


def _read_csv(data: bytes, *, max_rows: int) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableRejected(_("CSV 文件的编码无法识别，请另存为 UTF-8 编码。"))
    if "\x00" in text:
        raise TableRejected(_("CSV 文件包含空字符，不是文本文件。"))
    rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            if len(rows) > max_rows + 1:
                break
            rows.append([c.strip() for c in row[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise TableRejected(_("CSV 文件格式错误：%(error)s") % {"error": exc}) from exc
    return rows


def map_columns(header: Sequence[str], wanted: Mapping[str, Sequence[str]], required: Sequence[str]) -> dict[str, int]:
    """key → column index, finding each key's column by any of its header names; names the missing required ones."""
    names = [h.strip() for h in header]
    found: dict[str, int] = {}
    for key, aliases in wanted.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[key] = index
                break
    missing = [wanted[key][0] for key in required if key not in found]
    if missing:
        raise TableRejected(
            _("第1行表头缺少列：%(missing)s（表头须包含：%(all)s）。")
            % {"missing": "、".join(missing), "all": "、".join(wanted[key][0] for key in required)}
        )
    return found


def data_rows(table: list[list[str]], *, max_rows: int) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the non-empty rows after the header; refuses more than ``max_rows``."""
    if not table:
        raise TableRejected(_("文件是空的。"))
    rows = [(n, row) for n, row in enumerate(table[1:], start=2) if any(c for c in row)]
    if len(rows) > max_rows:
        raise TableRejected(
            _("数据行过多（%(n)s 行，上限 %(max)s 行），请分批上传。") % {"n": len(rows), "max": max_rows}
        )
    if not rows:
        raise TableRejected(_("文件中没有数据行。"))
    return rows


def cell(row: list[str], columns: Mapping[str, int], key: str) -> str:
    """The cell of ``key``'s column, stripped; a ``NumberCell`` as it is (stripping would lose what it was)."""
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return value if isinstance(value, NumberCell) else value.strip()


def _excel_number_error(shown: str, *, lost: str) -> ValidationError:
    return ValidationError(
        _("该号码被 Excel 存成了数字（显示为 %(shown)s），%(lost)s；请把该列设为“文本”格式后重新输入完整号码，再上传")
        % {"shown": shown, "lost": lost}
    )


def parse_identifier(value: str) -> tuple[str, str]:
    """(subject kind, normalised identifier) of an ID number or organisation code; ValidationError otherwise.

    ``value`` from a cell Excel stored as a number is refused when the number cannot be the one typed, and otherwise
    explained as such if it is no valid identifier (a leading 0 is gone, say)."""
    if isinstance(value, NumberCell) and value.digits_lost:
        raise _excel_number_error(value.shown, lost=_("末几位已丢失"))
    if _SCIENTIFIC.match(value.strip()):
        raise _excel_number_error(value.strip(), lost=_("末几位已丢失"))
    try:
        return _parse_identifier_text(value)
    except ValidationError:
        if isinstance(value, NumberCell):
            raise _excel_number_error(value.shown, lost=_("开头的 0 等可能已丢失")) from None
        raise


def _parse_identifier_text(value: str) -> tuple[str, str]:
    compact = validators.normalize_cn_id(value)
    if not compact:
        raise ValidationError(_("不能为空"))
    if len(compact) == 18 and compact[:17].isdigit():
        try:
            validators.validate_cn_id(compact)
            return SubjectKind.NATURAL, compact
        except ValidationError:
            pass  # an all-digit credit code is possible: try it as one
    try:
        validators.classify_org_code(compact)
    except ValidationError as exc:
        raise ValidationError(_("不是有效的身份证号码或统一社会信用代码")) from exc
    return SubjectKind.LEGAL, validators.normalize_org_code(compact)


def parse_optional_date(value: str) -> datetime.date | None:
    if not value:
        return None
    return validators.parse_date(value)


def masked(kind: str, identifier: str) -> str:
    """The identifier as a staff list or report shows it: a credit code in full, an ID number masked."""
    return validators.mask_cn_id(identifier) if kind == SubjectKind.NATURAL else identifier
