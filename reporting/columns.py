"""The columns of an item's upload template, from the catalog: key, Chinese name, type, required, allowed values.

One place for "what the template of item N looks like", used by the exporter, the importer and the 填写说明 sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from credit.catalog import ItemSpec

# Catalog field types whose values are identifiers: written as text cells, refused when Excel turned them into numbers.
IDENTIFIER_TYPES = frozenset({"cn_id", "org_code", "doc_number", "phone"})
# Catalog field types a clerk types text into: a number Excel stored in one of them may already have lost digits
# (Excel keeps 15 significant digits), which the import refuses (``reporting.imports.reader.cell_input``).
TEXT_TYPES = frozenset({"text", "long_text", "person_name"}) | IDENTIFIER_TYPES
# Free-text fields whose catalogue key says they hold a number or code (证书编号 ``cert_number``, 文书号
# ``decision_number``, 表彰文号 ``award_doc_number``…): often all digits, so written as text cells like identifiers.
CODE_KEY_SUFFIXES = ("_number", "_code")

TYPE_FORMATS = {
    "text": "文本",
    "long_text": "文本（可多行）",
    "person_name": "姓名：2至30个汉字或英文字母，不含数字",
    "cn_id": "18位居民身份证号码（文本格式，末位可为X）",
    "doc_number": "证件号码（文本格式）；证件类型为居民身份证时须为18位身份证号码",
    "org_code": "18位统一社会信用代码，或9位组织机构代码、15位工商注册号、15至20位税务登记证号（文本格式）",
    "date": "日期，YYYY-MM-DD，例如 2026-02-28",
    "year": "四位年份，例如 2025",
    "phone": "手机号码或带区号的固定电话，例如 13800138000 或 0791-88888888",
    "enum": "从下拉列表中选择",
    "amount": "金额（万元），数字，可留空",
}


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    type: str
    required: bool
    values: tuple[str, ...]
    rule: str
    rule_zh: str = ""
    school_code: bool = False  # an org_code column that also accepts the 10-digit 学校标识码

    @property
    def is_identifier(self) -> bool:
        return self.type in IDENTIFIER_TYPES

    @property
    def is_text(self) -> bool:
        """A column of typed text (names, contents, numbers and codes), not a date, year, amount or choice."""
        return self.type in TEXT_TYPES

    @property
    def is_code(self) -> bool:
        """A column whose values are codes or document numbers, often all digits: an identifier, or a text field whose
        catalogue key names a number or code. The template formats these columns as text, so that Excel keeps what
        the clerk types (a 17-digit 证书编号 would otherwise become a float and lose its last digits)."""
        return self.is_identifier or (self.type == "text" and self.key.endswith(CODE_KEY_SUFFIXES))

    @property
    def format_text(self) -> str:
        if self.school_code:
            return "10位学校标识码，或" + TYPE_FORMATS["org_code"]
        return TYPE_FORMATS.get(self.type, "文本")

    @property
    def rule_text(self) -> str:
        return self.rule_zh or self.rule  # the 填写说明 sheet shows the catalogue's Chinese rule text


@cache
def template_columns(no: int) -> tuple[Column, ...]:
    """The upload template's columns of item ``no``, in catalog order."""
    return tuple(
        Column(
            key=f.key,
            name=f.name,
            type=f.type,
            required=f.required,
            values=f.values,
            rule=f.rule,
            rule_zh=f.rule_zh,
            school_code=f.school_code,
        )
        for f in ItemSpec.get(no).fields
    )


def template_headers(no: int) -> list[str]:
    return [column.name for column in template_columns(no)]


# The key of the optional trailing column: the record's business date (``Record.business_date``).
BUSINESS_DATE_KEY = "business_date"


@cache
def business_date_column(no: int) -> Column | None:
    """The optional trailing column of an item whose business date is not among its Annex 1 fields (the catalogue's
    ``business_date_field`` is null), named by the catalogue's ``business_date_label`` (业务发生日期, or 认定日期…);
    None for the other items, whose business date is one of their fields."""
    spec = ItemSpec.get(no)
    if spec.business_date_field is not None:
        return None
    return Column(
        key=BUSINESS_DATE_KEY,
        name=spec.business_date_label,
        type="date",
        required=False,
        values=(),
        rule="optional: the date the business happened; the deadline counts from it (empty: the import's date)",
        rule_zh=f"选填（附件1以外的列，可删除）：{spec.business_date_label}，报送期限自该日期起算；不填则取导入当天的日期",
    )


def upload_columns(no: int) -> tuple[Column, ...]:
    """The columns of the blank upload template's data sheet: the Annex 1 columns, first and exact, then the optional
    business-date column (where the catalogue says). The other optional columns (``optional_columns``) are described
    in its 填写说明 sheet, for a clerk to append."""
    extra = business_date_column(no)
    return template_columns(no) + ((extra,) if extra else ())


@cache
def optional_columns(no: int) -> tuple[Column, ...]:
    """The optional trailing import columns of item ``no``, in their one order: the business-date column (only where
    the business date is not an Annex 1 field, ``business_date_column``), then the catalogue's extra fields (e.g. item
    8's 处理性质 and the national 双公示 columns). The Annex 1 columns stay first and exact; a file may carry none of
    the optional ones or the first few, in this order."""
    extra = business_date_column(no)
    return ((extra,) if extra else ()) + tuple(
        Column(key=f.key, name=f.name, type=f.type, required=False, values=f.values, rule=f.rule, rule_zh=f.rule_zh)
        for f in ItemSpec.get(no).extra_fields
    )


def import_columns(no: int) -> tuple[Column, ...]:
    """Every column an import of item ``no`` reads: the Annex 1 columns, then the optional ones."""
    return template_columns(no) + optional_columns(no)


def item_sheet_name(name: str) -> str:
    """An Excel-legal sheet name for an item (max 31 characters, none of []:*?/\\); the ten item names already are."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31]


# Natural key of each item (``natural_key`` in the catalogue): the fields that identify "the same record" for
# duplicate detection in imports.
NATURAL_KEYS: dict[int, tuple[str, ...]] = {item.no: item.natural_key for item in ItemSpec.all()}

# The leading columns an update-mode import (更新已有记录) may begin with, in any order, before the template's columns:
# the record to update (its number, 编号 on the record pages; without this column rows are matched by their natural
# key) and the reason of a correction that goes to review (submitted and approved records).
RECORD_NUMBER_COLUMN = "记录编号"
CHANGE_REASON_COLUMN = "变更理由"
UPDATE_LEADING_COLUMNS: tuple[str, ...] = (RECORD_NUMBER_COLUMN, CHANGE_REASON_COLUMN)

# The last column of an error copy (``reporting.imports.error_copy``): each bad row's reasons. The reader skips it when
# it ends the header, so that the corrected error copy uploads again as it is.
ERROR_NOTES_COLUMN = "错误说明"
