"""黑名单 decisions: a reviewer lists a subject, referencing its approved 失信 records; nothing is automatic."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.scoping import require_role
from core.transactions import hold_transaction_lock
from credit.models import Record, RecordStatus, Subject, SubjectKind
from publicity.models import BlackListEntry, BlackListStatus, CorrectionKind
from publicity.selectors import blacklist_entries_lapsed
from publicity.services.corrections import correction_notice_create
from publicity.services.entries import mask_public_text, public_code_for
from publicity.services.errors import PublicityError
from publicity.services.reasons import reason_clean

DISHONESTY_CATEGORY = "失信信息"
# The first key of the lock black-list writes take per subject (``core.transactions.hold_transaction_lock``): "bl".
_BLACKLIST_LOCK = 0x626C


@transaction.atomic
def blacklist_add(
    *,
    subject: Subject,
    records: list[Record],
    user,
    reason: str,
    legal_basis: str,
    document_number: str,
    decision_date: datetime.date,
    notified_on: datetime.date,
    listed_on: datetime.date,
    end_date: datetime.date,
    removal_conditions: str,
) -> BlackListEntry:
    """List ``subject`` on the black list on the strength of its approved 失信 ``records``."""
    require_role(user, Role.REVIEWER)
    errors: dict[str, list[str]] = {}
    if not records:
        errors["records"] = [_("请至少引用一条失信记录。")]
    for record in records:
        if record.subject_id != subject.pk:
            errors.setdefault("records", []).append(_("记录 %(id)s 不属于该主体。") % {"id": record.pk})
        elif record.item.info_category != DISHONESTY_CATEGORY:
            errors.setdefault("records", []).append(_("记录 %(id)s 不是失信信息。") % {"id": record.pk})
        elif record.status != RecordStatus.APPROVED or record.validity_end < timezone.localdate():
            errors.setdefault("records", []).append(_("记录 %(id)s 尚未审核通过或已失效。") % {"id": record.pk})
    if records and "records" not in errors:
        # One listing per set of facts: a second press of 列入, or a second reviewer, would list the subject twice on
        # the column for the same records. Under a lock per subject, so two sent at once cannot both pass.
        hold_transaction_lock(_BLACKLIST_LOCK, subject.pk)
        listed = (
            BlackListEntry.objects.filter(subject=subject, status=BlackListStatus.LISTED, records__in=records)
            .order_by("pk")
            .first()
        )
        if listed is not None:
            cited = sorted(set(listed.records.values_list("pk", flat=True)) & {r.pk for r in records})
            errors["records"] = [
                _("记录 %(ids)s 已是黑名单 #%(entry)s 的依据，该主体仍在名单上，请勿重复列入。")
                % {"ids": "、".join(str(pk) for pk in cited), "entry": listed.pk}
            ]
    if notified_on > listed_on:
        errors["notified_on"] = [_("事先告知日期不能晚于列入日期。")]
    if end_date <= listed_on:
        errors["end_date"] = [_("列入截止日期应晚于列入日期。")]
    if decision_date > listed_on:
        errors["decision_date"] = [_("认定日期不能晚于列入日期。")]
    if errors:
        raise PublicityError(errors)
    entry = BlackListEntry(
        subject=subject,
        subject_kind=subject.kind,
        subject_name=subject.name,
        public_code=public_code_for(subject.kind, subject.identifier),
        document_number=document_number.strip(),
        reason=reason,
        legal_basis=legal_basis,
        decision_date=decision_date,
        notified_on=notified_on,
        listed_on=listed_on,
        end_date=end_date,
        removal_conditions=removal_conditions,
        created_by=user,
    )
    entry.search_text = entry.build_search_text()
    mask_public_text(entry)
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise PublicityError(exc.message_dict) from exc
    entry.save()
    entry.records.set(records)
    return entry


@transaction.atomic
def blacklist_add_by_code(
    *,
    subject_code: str,
    record_ids: list[int],
    user,
    subject_kind: str = "",
    reason: str,
    legal_basis: str,
    document_number: str,
    decision_date: datetime.date,
    notified_on: datetime.date,
    listed_on: datetime.date,
    end_date: datetime.date,
    removal_conditions: str,
) -> BlackListEntry:
    """List the subject identified by ``subject_code`` (credit code or ID number; of ``subject_kind`` when given)
    on the strength of the records numbered ``record_ids``, as a reviewer types them in the workspace.

    The subject must exist (it does once it has a record) and be the only one with that code, and every number must
    be an existing record; whether each is an approved 失信 record of that subject ``blacklist_add`` checks."""
    require_role(user, Role.REVIEWER)
    code = (subject_code or "").strip().upper()
    if subject_kind and subject_kind not in SubjectKind.values:
        raise PublicityError({"subject_kind": [_("主体类别：请选择法人及非法人组织或自然人。")]})
    subjects = Subject.objects.filter(identifier=code)
    if subject_kind:
        subjects = subjects.filter(kind=subject_kind)
    found = list(subjects[:2]) if code else []
    if not found:
        raise PublicityError(
            {
                "subject_code": [
                    _("主体代码：未找到代码为“%(code)s”的主体，请确认其已有审核通过的失信记录。") % {"code": code}
                ]
            }
        )
    if len(found) > 1:
        raise PublicityError({"subject_kind": [_("主体类别：该代码对应多个主体，请选择主体类别。")]})
    ids = list(dict.fromkeys(record_ids))
    records = {r.pk: r for r in Record.objects.filter(pk__in=ids).select_related("item")}
    missing = [str(pk) for pk in ids if pk not in records]
    if missing:
        raise PublicityError({"records": [_("失信记录编号：记录 %(ids)s 不存在。") % {"ids": "、".join(missing)}]})
    return blacklist_add(
        subject=found[0],
        records=[records[pk] for pk in ids],
        user=user,
        reason=reason,
        legal_basis=legal_basis,
        document_number=document_number,
        decision_date=decision_date,
        notified_on=notified_on,
        listed_on=listed_on,
        end_date=end_date,
        removal_conditions=removal_conditions,
    )


@transaction.atomic
def blacklist_remove(
    *, entry: BlackListEntry, user, reason: str, source: str = "reviewer", source_reference: str = ""
) -> BlackListEntry:
    """移出黑名单 before its end date (conditions met, objection upheld, the records it rests on revoked or expired);
    a correction is queued. ``user`` is None only for the scheduled job."""
    if user is not None:
        require_role(user, Role.REVIEWER)
    reason = reason_clean(reason, label=_("移出原因"), missing=_("请填写移出原因。"))
    entry = BlackListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == BlackListStatus.REMOVED:
        return entry
    entry.status, entry.removed_at, entry.removed_reason = BlackListStatus.REMOVED, timezone.now(), reason
    entry.save()
    correction_notice_create(
        kind=CorrectionKind.WITHDRAWN,
        source=source,
        source_reference=source_reference,
        blacklist_entry=entry,
        description=_("移出黑名单：%(r)s") % {"r": reason},
    )
    return entry


@transaction.atomic
def blacklist_remove_lapsed(*, today: datetime.date | None = None) -> int:
    """The scheduled job: remove the entries whose 失信 records are all revoked or expired (the public selector hides
    them already; this records the removal and queues the correction, like any other withdrawal)."""
    removed = 0
    for entry in blacklist_entries_lapsed(today=today):
        blacklist_remove(
            entry=entry,
            user=None,
            reason=_("所依据的失信记录均已撤销或过期"),
            source="record_status",
        )
        removed += 1
    return removed
