"""The national 双公示 data standard: how the penalty items and the licensing decisions map to its columns.

The one module to correct when the official column list or code tables differ from ``double_publicity.json`` (the
standard's text was not at hand; field codes follow the public implementations of the 2021 edition).

File layout: sheet ``行政处罚``; row 1 = field codes (``cf_xdr_mc`` …, what the provincial platform's importer keys
on), row 2 = the Chinese column names, data from row 3. Dates ``YYYY-MM-DD`` text, amounts in 万元.

Which columns a penalty item's record answers itself is per item data: ``publication.columns`` of the item in the
catalogue (credit/catalog/catalog.json), plus the subject columns from its subject fields. The required columns it
leaves open (``GAP_FIELDS``: e.g. item 2 has no decision document number, item 8 no 处罚类别 or 处罚依据) come from the
publication of the penalty (``publicity.models.Publication``): where a record has one, its non-empty national fields
(``PUBLICATION_FIELDS``) fill those columns (``missing_required`` tells which required columns a row lacks).

Licensing decisions (``publicity.models.LicenceDecision``) already hold the xk_* columns: ``licence_row`` only tells
the natural person (证件类型 and 证件号码, no organisation codes) from the organisation (codes, no ID document).
"""

from __future__ import annotations

import datetime
import decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from credit.catalog import PENALTY, ItemSpec
from credit.models.records import INDIVIDUAL_BUSINESS, INDIVIDUAL_BUSINESS_USCC_PREFIX
from credit.validators import classify_school_or_org_code
from publicity.services.publications import penalty_period

PENALTY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cf_xdr_mc", "行政相对人名称"),
    ("cf_xdr_lb", "行政相对人类别"),
    ("cf_xdr_shxym", "行政相对人代码_1(统一社会信用代码)"),
    ("cf_xdr_gszc", "行政相对人代码_2(工商注册号)"),
    ("cf_xdr_zzjg", "行政相对人代码_3(组织机构代码)"),
    ("cf_xdr_swdj", "行政相对人代码_4(税务登记号)"),
    ("cf_xdr_sydw", "行政相对人代码_5(事业单位证书号)"),
    ("cf_xdr_shzz", "行政相对人代码_6(社会组织登记证号)"),
    ("cf_frdb", "法定代表人"),
    ("cf_fr_zjlx", "法定代表人证件类型"),
    ("cf_fr_zjhm", "法定代表人证件号码"),
    ("cf_xdr_zjlx", "证件类型"),
    ("cf_xdr_zjhm", "证件号码"),
    ("cf_wsh", "行政处罚决定书文号"),
    ("cf_wfxw", "违法行为类型"),
    ("cf_sy", "违法事实"),
    ("cf_yj", "处罚依据"),
    ("cf_cflb", "处罚类别"),
    ("cf_nr", "处罚内容"),
    ("cf_nr_fk", "罚款金额（万元）"),
    ("cf_nr_wfff", "没收违法所得、没收非法财物的金额（万元）"),
    ("cf_nr_zkdx", "暂扣或吊销证照名称及编号"),
    ("cf_jdrq", "处罚决定日期"),
    ("cf_yxq", "处罚有效期"),
    ("cf_gsjzq", "公示截止期"),
    ("cf_cfjg", "处罚机关"),
    ("cf_cfjgdm", "处罚机关统一社会信用代码"),
    ("cf_sjly", "数据来源单位"),
    ("cf_sjlydm", "数据来源单位统一社会信用代码"),
    ("bz", "备注"),
)
PENALTY_CODES = tuple(code for code, _name in PENALTY_COLUMNS)

LEGAL_PERSON = "法人及非法人组织"
NATURAL_PERSON = "自然人"
ID_CARD = "身份证"

# The national penalty columns a record's Publication fills (its field → the column), preferred when not empty: they are
# the reviewed, published values in the standard's code tables (e.g. 处罚类别).
PUBLICATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("document_number", "cf_wsh"),
    ("offence_type", "cf_wfxw"),
    ("offence_facts", "cf_sy"),
    ("penalty_basis", "cf_yj"),
    ("penalty_category", "cf_cflb"),
    ("publicity_end", "cf_gsjzq"),
)

REQUIRED_PENALTY_CODES = (
    "cf_xdr_mc",
    "cf_xdr_lb",
    "cf_wsh",
    "cf_wfxw",
    "cf_sy",
    "cf_yj",
    "cf_cflb",
    "cf_nr",
    "cf_jdrq",
)
REQUIRED_PENALTY_CODES += ("cf_yxq", "cf_cfjg", "cf_cfjgdm", "cf_sjly", "cf_sjlydm")

# How a 学校标识码 is stated in 备注 (the national columns have none for it).
_SCHOOL_CODE_NOTE = "学校标识码：%(code)s"

# Which legacy code column an organisation code goes to, by classify_org_code's kind.
_ORG_CODE_COLUMN = {
    "uscc": "cf_xdr_shxym",
    "uscc_placeholder": "cf_xdr_shxym",
    "bizreg": "cf_xdr_gszc",
    "orgcode": "cf_xdr_zzjg",
    "tax": "cf_xdr_swdj",
}


def _iso(value) -> str:
    """A cell's text: dates in ``DOUBLE_PUBLICITY_DATE_FORMAT`` (YYYY-MM-DD by default), amounts without trailing
    zeros (1.5, not 1.500000)."""
    if isinstance(value, datetime.date):
        return value.strftime(settings.DOUBLE_PUBLICITY_DATE_FORMAT)
    if isinstance(value, decimal.Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return "" if value is None else str(value)


def _bureau() -> dict[str, str]:
    return {
        "cf_cfjgdm": settings.BUREAU_CREDIT_CODE,
        "cf_sjly": settings.BUREAU_NAME,
        "cf_sjlydm": settings.BUREAU_CREDIT_CODE,
    }


# The columns every row takes from the bureau (``_bureau``).
BUREAU_CODES = ("cf_cfjgdm", "cf_sjly", "cf_sjlydm")


def _answered(item: ItemSpec) -> set[str]:
    """The national columns a record of ``item`` fills itself: subject, the catalogue's columns, validity, bureau."""
    subject = {"cf_xdr_mc", "cf_xdr_lb"}
    subject |= {"cf_xdr_zjlx", "cf_xdr_zjhm"} if item.is_natural_person else set(_ORG_CODE_COLUMN.values())
    return subject | set(item.penalty_columns.columns) | {"cf_yxq"} | set(BUREAU_CODES)


def source_fields(item: ItemSpec) -> tuple[str, ...]:
    """The record fields a penalty row of ``item`` is built from (values_list order): the subject's name and
    identifier, the catalogue's column sources, then the validity end (处罚有效期)."""
    return (item.subject_name_field, item.subject_id_field, *item.penalty_columns.columns.values(), "validity_end")


def _record_columns(item: ItemSpec, values: tuple, rules: list | None = None) -> dict[str, str]:
    name, ident, *mapped, _validity_end = values
    row = {"cf_xdr_mc": name}
    for column, value in zip(item.penalty_columns.columns, mapped, strict=True):
        row[column] = _iso(value)
    category = row.get("cf_cflb", "")
    decision_date = dict(zip(item.penalty_columns.columns, mapped, strict=True)).get("cf_jdrq")
    if isinstance(decision_date, datetime.date):
        # 处罚有效期: the penalty's own publicity end; before a reviewer published it, the default of the period rules
        # (the minimum they allow for its category). Not the five-year validity of the credit record.
        row["cf_yxq"] = _iso(penalty_period(category, rules=rules).default_end(decision_date))
    if not row.get("cf_nr") and row.get("bz"):
        row["cf_nr"], row["bz"] = row["bz"], ""  # 处罚内容 is required: the remark's text stands in for it
    elif row.get("bz") and row["bz"] == row.get("cf_nr"):
        row["bz"] = ""  # 备注 says what 处罚内容 does not already say
    if item.is_natural_person:
        row.update({"cf_xdr_lb": NATURAL_PERSON, "cf_xdr_zjlx": ID_CARD, "cf_xdr_zjhm": ident})
        return row
    # An organisation, or an individual business (个体工商户) when the record says so or its credit code's
    # registration-authority and kind characters say so (92…).
    row["cf_xdr_lb"] = row.get("cf_xdr_lb") or LEGAL_PERSON
    if (ident or "").startswith(INDIVIDUAL_BUSINESS_USCC_PREFIX):
        row["cf_xdr_lb"] = INDIVIDUAL_BUSINESS
    try:
        kind = classify_school_or_org_code(ident)
    except ValidationError:
        kind = ""
    if kind == "school_code":
        # The standard has no column for a 学校标识码: it goes to 备注, and the credit code stays to be filled in.
        note = _SCHOOL_CODE_NOTE % {"code": ident}
        row["bz"] = f"{row['bz']}；{note}" if row.get("bz") else note
    else:
        row[_ORG_CODE_COLUMN.get(kind, "cf_xdr_shxym")] = ident
    return row


# The record fields each penalty item's rows are built from (``source_fields``), by item number.
PENALTY_SOURCE_FIELDS: dict[int, tuple[str, ...]] = {
    item.no: source_fields(item) for item in ItemSpec.items_with(publicity=PENALTY)
}

# Required national columns a penalty item's record does not answer (left empty until its publication fills them).
GAP_FIELDS: dict[int, tuple[str, ...]] = {
    item.no: tuple(code for code in REQUIRED_PENALTY_CODES if code not in _answered(item))
    for item in ItemSpec.items_with(publicity=PENALTY)
}


def row_for(no: int, values: tuple, publication: tuple | None = None, *, rules: list | None = None) -> list[str]:
    """The national penalty row (in ``PENALTY_CODES`` order) of one record of item ``no`` given its source values and
    its publication's ``PUBLICATION_FIELDS`` values (None, or all None, when the record has no publication);
    ``rules``: the publicity-period rules, loaded once by a caller building many rows."""
    row = {**_bureau(), **_record_columns(ItemSpec.get(no), values, rules)}
    if publication:
        for (_field, code), value in zip(PUBLICATION_FIELDS, publication, strict=True):
            if value:
                row[code] = _iso(value)
    if row.get("cf_gsjzq"):
        row["cf_yxq"] = row["cf_gsjzq"]  # the published penalty's own publicity end
    return [row.get(code, "") or "" for code in PENALTY_CODES]


def missing_required(row: list[str]) -> list[str]:
    """The required penalty columns a row (``row_for``'s list) leaves empty."""
    values = dict(zip(PENALTY_CODES, row, strict=True))
    return [code for code in REQUIRED_PENALTY_CODES if not values[code]]


PENALTY_COLUMN_NAMES = dict(PENALTY_COLUMNS)


def describe_incomplete(incomplete: list[tuple[int, list[str]]], *, limit: int = 20) -> str:
    """The reviewer's message for penalty records whose national row lacks required columns, in Chinese: each record
    by its id with the missing columns' names (the first ``limit`` records, then how many more)."""
    from django.utils.translation import gettext as _

    parts = [
        _("记录 #%(id)s 缺少%(columns)s")
        % {"id": pk, "columns": "、".join(f"“{PENALTY_COLUMN_NAMES[code]}”" for code in missing)}
        for pk, missing in incomplete[:limit]
    ]
    text = _("以下 %(n)d 条记录缺少双公示国家标准必填项，未生成批次（请在公示信息中补充后再生成）：") % {
        "n": len(incomplete)
    }
    text += "；".join(parts)
    if len(incomplete) > limit:
        text += _("；另有 %(more)d 条未列出") % {"more": len(incomplete) - limit}
    return text + "。"


# -- licensing (行政许可) -------------------------------------------------------------------------------------------

LICENSING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("xk_xdr_mc", "行政相对人名称"),
    ("xk_xdr_lb", "行政相对人类别"),
    ("xk_xdr_shxym", "行政相对人代码_1(统一社会信用代码)"),
    ("xk_xdr_gszc", "行政相对人代码_2(工商注册号)"),
    ("xk_xdr_zzjg", "行政相对人代码_3(组织机构代码)"),
    ("xk_xdr_swdj", "行政相对人代码_4(税务登记号)"),
    ("xk_xdr_sydw", "行政相对人代码_5(事业单位证书号)"),
    ("xk_xdr_shzz", "行政相对人代码_6(社会组织登记证号)"),
    ("xk_frdb", "法定代表人"),
    ("xk_fr_zjlx", "法定代表人证件类型"),
    ("xk_fr_zjhm", "法定代表人证件号码"),
    ("xk_xdr_zjlx", "证件类型"),
    ("xk_xdr_zjhm", "证件号码"),
    ("xk_xkws", "行政许可决定文书名称"),
    ("xk_wsh", "行政许可决定文书号"),
    ("xk_xklb", "许可类别"),
    ("xk_xkzs", "许可证书名称"),
    ("xk_xkbh", "许可编号"),
    ("xk_nr", "许可内容"),
    ("xk_jdrq", "许可决定日期"),
    ("xk_yxqz", "有效期自"),
    ("xk_yxqzi", "有效期至"),
    ("xk_xkjg", "许可机关"),
    ("xk_xkjgdm", "许可机关统一社会信用代码"),
    ("xk_zt", "当前状态"),
    ("xk_lydw", "数据来源单位"),
    ("xk_lydwdm", "数据来源单位统一社会信用代码"),
    ("bz", "备注"),
)
LICENSING_CODES = tuple(code for code, _name in LICENSING_COLUMNS)

# Columns of a subject's identity: a natural person fills only the ID document, an organisation only the codes.
_LICENCE_ORG_CODES = ("xk_xdr_shxym", "xk_xdr_gszc", "xk_xdr_zzjg", "xk_xdr_swdj", "xk_xdr_sydw", "xk_xdr_shzz")
_LICENCE_ORG_CODES += ("xk_frdb", "xk_fr_zjlx", "xk_fr_zjhm")
_LICENCE_PERSON_CODES = ("xk_xdr_zjlx", "xk_xdr_zjhm")

# xk_zt code table (当前状态): kept here, the one place to correct (see the standard's note on the column).
LICENCE_STATE_VALID, LICENCE_STATE_INVALID = "有效", "无效"

# LicenceDecision field of each column (values_list order = LICENSING_CODES minus xk_zt, which is computed).
LICENCE_SOURCE_FIELDS: tuple[str, ...] = tuple(code.removeprefix("xk_") for code in LICENSING_CODES if code != "xk_zt")


def licence_row(values: tuple, *, today: datetime.date, approved: bool = True) -> list[str]:
    """The national licensing row (``LICENSING_CODES`` order) of one decision given its ``LICENCE_SOURCE_FIELDS``."""
    row = {
        ("bz" if field == "bz" else f"xk_{field}"): value
        for field, value in zip(LICENCE_SOURCE_FIELDS, values, strict=True)
    }
    if row["xk_xdr_lb"] == NATURAL_PERSON:
        for code in _LICENCE_ORG_CODES:
            row[code] = ""
    else:
        for code in _LICENCE_PERSON_CODES:
            row[code] = ""
    if not row["xk_wsh"]:
        row["xk_wsh"] = row["xk_xkbh"]  # the standard: without a document number, the licence number goes here
    start, end = row["xk_yxqz"], row["xk_yxqzi"]
    row["xk_zt"] = (
        LICENCE_STATE_VALID if approved and start and end and start <= today <= end else LICENCE_STATE_INVALID
    )
    return [_iso(row.get(code, "")) for code in LICENSING_CODES]
