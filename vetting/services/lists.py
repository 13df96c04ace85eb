"""Importing the external dishonesty lists the bureau receives (省级、国家级失信名单): each import replaces, per list
named in the file, that list's entries, all or nothing. ID numbers are stored encrypted like credit's."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.errors import DomainError
from core.scoping import require_role
from vetting.models import ExternalList, ExternalListEntry
from vetting.tabular import cell, data_rows, map_columns, parse_identifier, parse_optional_date, read_table

MAX_ROWS = 100_000
MAX_ERRORS_SHOWN = 20
COLUMNS = {
    "name": ("名称", "主体名称", "姓名", "单位名称"),
    "code": ("统一社会信用代码或身份证号码", "代码", "统一社会信用代码", "身份证号码", "证件号码"),
    "list": ("名单名称", "名单"),
    "basis": ("列入依据", "依据", "列入事由"),
    "listed_on": ("列入日期", "认定日期"),
    "ends_on": ("截止日期", "移出日期", "有效期至"),
}
REQUIRED = ("name", "code", "list")


class ExternalListError(DomainError):
    """An external list file that cannot be imported; per-row messages name the line and the column."""


@transaction.atomic
def external_lists_import(*, data: bytes, file_name: str, user, request=None) -> list[ExternalList]:
    """Replace the entries of every list the file names with the file's rows (reviewer); all or nothing."""
    require_role(user, Role.REVIEWER)
    table = read_table(data, file_name=file_name, max_rows=MAX_ROWS)
    columns = map_columns(table[0] if table else [], COLUMNS, REQUIRED)
    errors: list[str] = []
    by_list: dict[str, list[ExternalListEntry]] = defaultdict(list)
    for line, row in data_rows(table, max_rows=MAX_ROWS):
        name, list_name = cell(row, columns, "name")[:200], cell(row, columns, "list")[:100]
        if not name:
            errors.append(_("第%(n)d行 名称：不能为空。") % {"n": line})
        if not list_name:
            errors.append(_("第%(n)d行 名单名称：不能为空。") % {"n": line})
        try:
            kind, identifier = parse_identifier(cell(row, columns, "code"))
        except ValidationError as exc:
            errors.append(_("第%(n)d行 代码：%(why)s。") % {"n": line, "why": exc.messages[0]})
            continue
        dates = {}
        for key, label in (("listed_on", _("列入日期")), ("ends_on", _("截止日期"))):
            try:
                dates[key] = parse_optional_date(cell(row, columns, key))
            except ValidationError as exc:
                errors.append(_("第%(n)d行 %(col)s：%(why)s") % {"n": line, "col": label, "why": exc.messages[0]})
        if errors:
            continue
        by_list[list_name].append(
            ExternalListEntry(
                subject_kind=kind, name=name, identifier=identifier, basis=cell(row, columns, "basis")[:4000], **dates
            )
        )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("……共 %(n)d 处错误，未导入任何数据。") % {"n": len(errors)})
        raise ExternalListError({"file": shown})
    digest = hashlib.sha256(data).hexdigest()
    now = timezone.now()
    imported = []
    for list_name, entries in sorted(by_list.items()):
        dishonesty_list, _created = ExternalList.objects.select_for_update().get_or_create(
            name=list_name, defaults={"imported_by": user}
        )
        dishonesty_list.entries.all().delete()
        for entry in entries:
            entry.dishonesty_list = dishonesty_list
        ExternalListEntry.objects.bulk_create(entries, batch_size=1000)
        dishonesty_list.imported_at, dishonesty_list.imported_by = now, user
        dishonesty_list.entry_count, dishonesty_list.file_name = len(entries), file_name[:200]
        dishonesty_list.file_sha256 = digest
        dishonesty_list.save()
        audit_log(
            request=request,
            user=user,
            action=AuditAction.IMPORT,
            obj=dishonesty_list,
            detail={"entries": len(entries), "sha256": digest, "replaced": True},
        )
        imported.append(dishonesty_list)
    return imported
