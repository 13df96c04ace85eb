"""信用承诺 register: reviewers import commitments (.xlsx/CSV, all or nothing) and record their fulfilment (履约 / 失信,
a breach naming the approved credit record that shows it). Audited; organisations' commitments are public."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.chunks import in_chunks
from core.errors import DomainError
from core.scoping import require_role
from core.transactions import hold_transaction_lock
from credit.models import Record, RecordStatus, Subject, SubjectKind
from vetting.models import Commitment, CommitmentStatus
from vetting.services.evaluations import evaluations_compute
from vetting.tabular import cell, data_rows, map_columns, parse_identifier, parse_optional_date, read_table

MAX_ROWS = 10_000
COLUMNS = {
    "name": ("主体名称", "名称", "单位名称"),
    "code": ("统一社会信用代码",),
    "type": ("承诺类型",),
    "text": ("承诺内容",),
    "made_on": ("承诺日期",),
    "source": ("承诺来源", "来源"),
    "status": ("履约状态",),
}
STATUS_BY_LABEL = {str(label): value for value, label in CommitmentStatus.choices}


class CommitmentError(DomainError):
    """A commitment write that cannot be done; messages name the field (and the line of a file)."""


# What makes two commitments the same: the organisation, the kind, the day and the words (a register re-imported, or
# a list that repeats last month's, would show each twice on the public list).
_SAME = "统一社会信用代码、承诺类型、承诺日期、承诺内容"
# The first key of the lock commitment imports take (``core.transactions.hold_transaction_lock``): "cm".
_COMMITMENT_LOCK = 0x636D


def _key(code: str, kind: str, made_on, text: str) -> tuple:
    return (code, kind, made_on, text.strip())


def _repeated(made: list[Commitment], lines: list[int]) -> list[str]:
    """Rows that repeat an earlier row of the file or a stored commitment, each named by its line (and the stored one by
    its number). Looked up under a lock, so two imports of the same file at once cannot both pass."""
    hold_transaction_lock(_COMMITMENT_LOCK, 0)
    stored: dict[tuple, int] = {}
    for codes in in_chunks(sorted({c.subject_code for c in made})):
        for pk, code, kind, made_on, text in Commitment.objects.filter(subject_code__in=codes).values_list(
            "pk", "subject_code", "commitment_type", "made_on", "text"
        ):
            stored.setdefault(_key(code, kind, made_on, text), pk)
    errors, seen = [], {}
    for commitment, line in zip(made, lines, strict=True):
        key = _key(commitment.subject_code, commitment.commitment_type, commitment.made_on, commitment.text)
        if key in stored:
            errors.append(
                _("第%(n)d行：与已登记的承诺 #%(id)s 相同（%(same)s相同），请勿重复导入。")
                % {"n": line, "id": stored[key], "same": _SAME}
            )
        elif key in seen:
            errors.append(
                _("第%(n)d行：与本文件第%(first)d行相同（%(same)s相同），请勿重复导入。")
                % {"n": line, "first": seen[key], "same": _SAME}
            )
        else:
            seen[key] = line
    return errors


@transaction.atomic
def commitments_import(*, data: bytes, file_name: str, user, request=None) -> list[Commitment]:
    """Add the file's commitments (reviewer); any bad row refuses the whole file, naming line and column."""
    require_role(user, Role.REVIEWER)
    table = read_table(data, file_name=file_name, max_rows=MAX_ROWS)
    columns = map_columns(table[0] if table else [], COLUMNS, ("name", "code", "type", "text", "made_on", "source"))
    errors, made, lines = [], [], []
    for line, row in data_rows(table, max_rows=MAX_ROWS):
        values = {key: cell(row, columns, key) for key in COLUMNS}
        for key in ("name", "type", "text", "source"):
            if not values[key]:
                errors.append(_("第%(n)d行 %(col)s：不能为空。") % {"n": line, "col": COLUMNS[key][0]})
        try:
            kind, code = parse_identifier(values["code"])
            if kind != SubjectKind.LEGAL:
                raise ValidationError(_("应为统一社会信用代码（信用承诺登记单位的承诺）"))
        except ValidationError as exc:
            errors.append(_("第%(n)d行 统一社会信用代码：%(why)s。") % {"n": line, "why": exc.messages[0]})
            continue
        try:
            made_on = parse_optional_date(values["made_on"])
        except ValidationError as exc:
            errors.append(_("第%(n)d行 承诺日期：%(why)s") % {"n": line, "why": exc.messages[0]})
            continue
        status = STATUS_BY_LABEL.get(values["status"] or str(CommitmentStatus.PENDING.label))
        if status is None or status == CommitmentStatus.BROKEN:
            # A breach names its record, which only the workspace form can: imports say 履约中 or 已履约.
            errors.append(
                _("第%(n)d行 履约状态：应为“履约中”或“已履约”（失信请在登记簿中逐条标记并关联失信记录）。")
                % {"n": line}
            )
            continue
        if made_on is None:
            errors.append(_("第%(n)d行 承诺日期：不能为空。") % {"n": line})
            continue
        made.append(
            Commitment(
                subject_name=values["name"][:200],
                subject_code=code,
                commitment_type=values["type"][:50],
                text=values["text"][:4000],
                made_on=made_on,
                source=values["source"][:200],
                status=status,
                created_by=user,
            )
        )
        lines.append(line)
    errors.extend(_repeated(made, lines))
    if errors:
        raise CommitmentError({"file": errors[:20]})
    created = Commitment.objects.bulk_create(made)
    audit_log(
        request=request,
        user=user,
        action=AuditAction.IMPORT,
        object_type=Commitment._meta.label_lower,
        detail={"commitments": len(created), "file": file_name[:200]},
    )
    return created


@transaction.atomic
def commitment_set_status(
    *, commitment: Commitment, user, status: str, breach_record_id: int | None = None, note: str = "", request=None
) -> Commitment:
    """Record a commitment's fulfilment (reviewer). 失信 needs the approved credit record of the same organisation
    that shows the breach."""
    require_role(user, Role.REVIEWER)
    if status not in CommitmentStatus.values:
        raise CommitmentError({"status": [_("履约状态：请选择履约中、已履约或失信。")]})
    record = None
    if status == CommitmentStatus.BROKEN:
        if not breach_record_id:
            raise CommitmentError({"breach_record": [_("失信记录编号：标记失信须关联显示失信的信用记录。")]})
        record = (
            Record.objects.filter(
                pk=breach_record_id, status=RecordStatus.APPROVED, subject__identifier=commitment.subject_code
            )
            .select_related("item")
            .first()
        )
        if record is None:
            raise CommitmentError(
                {
                    "breach_record": [
                        _("失信记录编号：记录 %(id)s 不是该单位已审核通过的信用记录。") % {"id": breach_record_id}
                    ]
                }
            )
    commitment.status, commitment.breach_record = status, record
    commitment.status_note, commitment.updated_at = (note or "").strip()[:2000], timezone.now()
    commitment.save()
    subject = Subject.objects.filter(kind=SubjectKind.LEGAL, identifier=commitment.subject_code).first()
    if subject is not None:
        evaluations_compute(subject_ids=[subject.pk])
    audit_log(
        request=request,
        user=user,
        action=AuditAction.CHANGE,
        obj=commitment,
        detail={"status": status, "breach_record": record.pk if record else None},
    )
    return commitment
