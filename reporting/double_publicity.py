"""The national 双公示 (administrative penalty) data standard: how items 2 and 8 map to its columns.

The one module to correct when the official column list or code tables differ from ``double_publicity.json`` (the
standard's text was not at hand; field codes follow the public implementations of the 2021 edition).

File layout: sheet ``行政处罚``; row 1 = field codes (``cf_xdr_mc`` …, what the provincial platform's importer keys
on), row 2 = the Chinese column names, data from row 3. Dates ``YYYY-MM-DD`` text, amounts in 万元.

Gaps against Annex 1 (``gaps_against_annex1``): item 2 records have no decision document number (cf_wsh), illegal-act
type (cf_wfxw) or facts (cf_sy) beyond 处罚内容; item 8 records have no 处罚类别 (cf_cflb) or 处罚依据 (cf_yj). These
columns stay empty here and are listed in ``GAP_FIELDS``: the publicity work adds the extra fields to penalty records,
after which only ``row_for`` below needs to read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError

from credit.validators import classify_org_code

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

# Required national columns that Annex 1 does not collect, per item (left empty until the publicity fields exist).
GAP_FIELDS: dict[int, tuple[str, ...]] = {
    2: ("cf_wsh", "cf_wfxw", "cf_sy"),
    8: ("cf_wfxw", "cf_cflb", "cf_yj"),
}

# Which legacy code column an organisation code goes to, by classify_org_code's kind.
_ORG_CODE_COLUMN = {
    "uscc": "cf_xdr_shxym",
    "uscc_placeholder": "cf_xdr_shxym",
    "bizreg": "cf_xdr_gszc",
    "orgcode": "cf_xdr_zzjg",
    "tax": "cf_xdr_swdj",
}

# The record fields each item's rows are built from (values_list order).
PENALTY_SOURCE_FIELDS: dict[int, tuple[str, ...]] = {
    2: (
        "org_name",
        "org_code",
        "penalty_type",
        "penalty_content",
        "penalty_result",
        "penalty_date",
        "penalty_authority",
        "penalty_basis",
        "validity_end",
    ),
    8: (
        "name",
        "id_number",
        "offence",
        "decision_number",
        "penalty_result",
        "penalty_authority",
        "penalty_date",
        "validity_end",
    ),
}


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else (value or "")


def _bureau() -> dict[str, str]:
    return {
        "cf_cfjgdm": settings.BUREAU_CREDIT_CODE,
        "cf_sjly": settings.BUREAU_NAME,
        "cf_sjlydm": settings.BUREAU_CREDIT_CODE,
    }


def _item2(values: tuple) -> dict[str, str]:
    org_name, org_code, ptype, content, result, pdate, authority, basis, validity_end = values
    row = {
        "cf_xdr_mc": org_name,
        "cf_xdr_lb": LEGAL_PERSON,
        "cf_yj": basis,
        "cf_cflb": ptype,
        "cf_nr": result or content,
        "cf_jdrq": _iso(pdate),
        "cf_yxq": _iso(validity_end),
        "cf_cfjg": authority,
        "bz": content if result else "",
    }
    try:
        row[_ORG_CODE_COLUMN[classify_org_code(org_code)]] = org_code
    except (ValidationError, KeyError):
        row["cf_xdr_shxym"] = org_code
    return row


def _item8(values: tuple) -> dict[str, str]:
    name, id_number, offence, decision_number, result, authority, pdate, validity_end = values
    return {
        "cf_xdr_mc": name,
        "cf_xdr_lb": NATURAL_PERSON,
        "cf_xdr_zjlx": ID_CARD,
        "cf_xdr_zjhm": id_number,
        "cf_wsh": decision_number,
        "cf_sy": offence,
        "cf_nr": result,
        "cf_jdrq": _iso(pdate),
        "cf_yxq": _iso(validity_end),
        "cf_cfjg": authority,
    }


_BUILDERS: dict[int, Callable[[tuple], dict[str, str]]] = {2: _item2, 8: _item8}


def row_for(no: int, values: tuple) -> list[str]:
    """The national penalty row (in ``PENALTY_CODES`` order) of one record of item ``no`` given its source values."""
    row = {**_bureau(), **_BUILDERS[no](values)}
    return [row.get(code, "") or "" for code in PENALTY_CODES]
