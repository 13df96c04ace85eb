"""Columns of the open data (JSON and CSV alike) per public list: only public, already-masked columns. A natural
person's full ID number, phone or address is not among them and cannot be."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from credit.models import SubjectKind
from publicity.masking import mask_free_text
from publicity.selectors import BLACK_LIST, LICENCES, PENALTIES, RED_LIST

Column = tuple[str, str, Callable]


def _a(name: str) -> Callable:
    return lambda e: getattr(e, name)


def _subject_kind(entry) -> str:
    # The label straight from the choices: ``get_subject_kind_display()`` rebuilds the field's choice map on every
    # call, which was half the CPU of a full CSV.
    return (
        str(SubjectKind(entry.subject_kind).label) if entry.subject_kind in SubjectKind.values else entry.subject_kind
    )


_SUBJECT: list[Column] = [
    ("id", "编号", _a("pk")),
    ("subject_name", "主体名称", _a("subject_name")),
    ("subject_kind", "主体类别", _subject_kind),
    ("subject_code", "统一社会信用代码或证件号码（脱敏）", _a("public_code")),
]

COLUMNS: dict[str, list[Column]] = {
    LICENCES: _SUBJECT
    + [
        ("xk_xdr_lb", "行政相对人类别", _a("xdr_lb")),
        ("xk_xkws", "行政许可决定文书名称", _a("xkws")),
        ("xk_wsh", "行政许可决定文书号", _a("document_number")),
        ("xk_xklb", "许可类别", _a("xklb")),
        ("xk_xkzs", "许可证书名称", _a("xkzs")),
        ("xk_xkbh", "许可编号", _a("xkbh")),
        ("xk_nr", "许可内容", _a("public_nr")),
        ("xk_jdrq", "许可决定日期", _a("jdrq")),
        ("xk_yxqz", "有效期自", _a("yxqz")),
        ("xk_yxqzi", "有效期至", _a("yxqzi")),
        ("xk_xkjg", "许可机关", _a("xkjg")),
        ("xk_xkjgdm", "许可机关统一社会信用代码", _a("xkjgdm")),
        ("xk_zt", "当前状态", _a("current_state")),
        ("published_at", "公示时间", _a("published_at")),
    ],
    PENALTIES: _SUBJECT
    + [
        ("cf_wsh", "行政处罚决定书文号", _a("document_number")),
        ("cf_wfxw", "违法行为类型", _a("offence_type")),
        ("cf_sy", "违法事实", _a("offence_facts")),
        ("cf_yj", "处罚依据", _a("penalty_basis")),
        ("cf_cflb", "处罚类别", _a("penalty_category")),
        ("cf_nr", "处罚内容", _a("content")),
        ("cf_jdrq", "处罚决定日期", _a("decision_date")),
        ("cf_gsjzq", "公示截止期", _a("publicity_end")),
        ("cf_cfjg", "处罚机关", _a("authority")),
        ("published_at", "公示时间", _a("published_at")),
    ],
    RED_LIST: _SUBJECT
    + [
        ("document_number", "决定文号", _a("document_number")),
        ("content", "荣誉内容", _a("content")),
        ("decision_date", "认定日期", _a("decision_date")),
        ("authority", "认定单位", _a("authority")),
        ("valid_until", "有效期至", _a("valid_until")),
        ("published_at", "公示时间", _a("published_at")),
    ],
    BLACK_LIST: _SUBJECT
    + [
        ("document_number", "认定决定文书号", _a("document_number")),
        ("reason", "列入事由", _a("reason")),
        ("legal_basis", "列入依据", _a("legal_basis")),
        ("authority", "认定机关", _a("authority")),
        ("decision_date", "认定日期", _a("decision_date")),
        ("notified_on", "事先告知日期", _a("notified_on")),
        ("listed_on", "列入日期", _a("listed_on")),
        ("end_date", "列入截止日期", _a("end_date")),
        ("removal_conditions", "移出条件", _a("removal_conditions")),
    ],
}


def _plain(value):
    if isinstance(value, datetime.datetime):
        # Beijing time with its offset ("2026-03-02T04:00:00+08:00"): a UTC time would show the previous day's date
        # for anything published before 08:00.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _public(value):
    """``value`` as open data may carry it: dates in ISO form, text masked (the one place JSON and CSV values are
    produced, so a column read straight from a decision as entered cannot leak a full ID or mobile number)."""
    value = _plain(value)
    return mask_free_text(value) if isinstance(value, str) else value


def row_dict(section: str, entry) -> dict:
    return {key: _public(get(entry)) for key, _label, get in COLUMNS[section]}


def cell_text(value) -> str:
    """``value`` as one text cell of the open-data workbook (masked, dates in ISO form, empty for none)."""
    return "" if value is None else str(_public(value))


def csv_safe(value) -> str:
    """Text that a spreadsheet will not run as a formula (= + - @ lead to a quoted cell)."""
    text = cell_text(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
