"""Batch credit checks of candidate lists (评优评先信用审查): an office uploads names with ID numbers or credit codes
(up to 5,000 rows, .xlsx or CSV) and gets, at once, a numbered report of each candidate's live dishonesty. The
look-up is set-based (``vetting.selectors.hits_for``): a handful of queries for the whole list. The report keeps the
masked identifier only; the upload itself is not stored."""

from __future__ import annotations

import hashlib
import io

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.errors import DomainError
from vetting.models import BatchCheck
from vetting.selectors import hits_for
from vetting.tabular import cell, data_rows, map_columns, masked, parse_identifier, read_table

MAX_ROWS = 5_000
COLUMNS = {
    "name": ("名称", "姓名", "单位名称", "主体名称"),
    "code": (
        "身份证号码或统一社会信用代码",
        "统一社会信用代码或身份证号码",
        "身份证号码",
        "统一社会信用代码",
        "证件号码",
        "代码",
    ),
}


class BatchCheckError(DomainError):
    """A candidate list that cannot be checked; messages name the line and the column."""


def _number(now) -> str:
    """XYSC + date + a sequence of the day: 信用审查报告编号."""
    prefix = f"XYSC{timezone.localtime(now):%Y%m%d}"
    taken = BatchCheck.objects.filter(number__startswith=prefix).count()
    return f"{prefix}-{taken + 1:04d}"


@transaction.atomic
def batch_check_run(*, data: bytes, file_name: str, user, title: str = "", request=None) -> BatchCheck:
    """Check every candidate of the uploaded list (clerk or reviewer) and store the numbered report."""
    if not (getattr(user, "is_active", False) and user.role in (Role.CLERK, Role.REVIEWER)):
        raise PermissionDenied
    table = read_table(data, file_name=file_name, max_rows=MAX_ROWS)
    columns = map_columns(table[0] if table else [], COLUMNS, ("name", "code"))
    candidates = []
    errors = []
    for line, row in data_rows(table, max_rows=MAX_ROWS):
        name = cell(row, columns, "name")[:200]
        try:
            kind, identifier = parse_identifier(cell(row, columns, "code"))
        except ValidationError as exc:
            errors.append(_("第%(n)d行 证件号码或代码：%(why)s。") % {"n": line, "why": exc.messages[0]})
            continue
        candidates.append((line, name, kind, identifier))
    if errors:
        shown = errors[:20] + ([_("……共 %(n)d 处错误。") % {"n": len(errors)}] if len(errors) > 20 else [])
        raise BatchCheckError({"file": shown})
    found = hits_for(identifier for _line, _name, _kind, identifier in candidates)
    results = []
    for line, name, kind, identifier in candidates:
        hits = [h.as_json() for h in found.get(identifier, [])]
        results.append({"row": line, "name": name, "kind": kind, "code": masked(kind, identifier), "hits": hits})
    now = timezone.now()
    offices = list(user.offices.all()[:2]) if user.role == Role.CLERK else []
    check = BatchCheck.objects.create(
        number=_number(now),
        office=offices[0] if offices else None,
        title=(title or "").strip()[:200],
        created_by=user,
        created_at=now,
        file_name=file_name[:200],
        file_sha256=hashlib.sha256(data).hexdigest(),
        candidate_count=len(results),
        hit_count=sum(1 for r in results if r["hits"]),
        results=results,
    )
    audit_log(
        request=request,
        user=user,
        action=AuditAction.CREATE,
        obj=check,
        detail={"batch_check": check.number, "candidates": check.candidate_count, "with_hits": check.hit_count},
    )
    return check


def batch_check_xlsx(check: BatchCheck) -> bytes:
    """The report as a workbook: a heading (number, time, counts) and one row per candidate and hit."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("信用审查报告"))
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [_("信用审查报告"), check.number], bold)
    sheet.write_row(1, 0, [_("审查时间"), timezone.localtime(check.created_at).strftime("%Y-%m-%d %H:%M:%S")])
    sheet.write_row(2, 0, [_("审查事由"), check.title])
    sheet.write_row(3, 0, [_("人数（单位数）"), check.candidate_count, _("有失信信息的"), check.hit_count])
    header = [
        _("行号"),
        _("名称"),
        _("证件号码或代码"),
        _("审查结果"),
        _("失信信息来源"),
        _("内容"),
        _("日期"),
        _("有效至"),
    ]
    sheet.write_row(5, 0, header, bold)
    row = 6
    for r in check.results:
        base = [r["row"], r["name"], r["code"]]
        if not r["hits"]:
            sheet.write_row(row, 0, [*base, _("未发现失信信息")])
            row += 1
            continue
        for hit in r["hits"]:
            sheet.write_row(
                row, 0, [*base, _("发现失信信息"), hit["label"], hit["reference"], hit["date"], hit["until"]]
            )
            row += 1
    sheet.set_column(1, 2, 24)
    sheet.set_column(4, 5, 30)
    book.close()
    return out.getvalue()
