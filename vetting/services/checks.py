"""Running credit checks (信用审查) on award and recognition records, and the approval guard that refuses an award
for a subject with live dishonesty unless the reviewer gives a reasoned override. Every check is stored
(``CreditCheck``) and audited; a refused approval is audited once its transaction has rolled back."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from credit.models import Record, Subject
from credit.services.records import RecordError
from vetting.models import CheckOutcome, CheckTrigger, CreditCheck
from vetting.selectors import Hit, hits_for, is_recognition, record_hits

OVERRIDE_FIELD = "credit_check_override"


def _request():
    """The current request when inside one (its source address goes into the audit entry)."""
    return getattr(HistoricalRecords.context, "request", None)


def _audit(check: CreditCheck, *, user, request=None, outcome: str = AuditOutcome.SUCCESS) -> None:
    detail = {
        "credit_check": check.trigger,
        "outcome": check.outcome,
        "hits": check.hit_count,
        "sources": sorted({h["source"] for h in check.hits}),
        "record": check.record_id,
    }
    if check.override_reason:
        detail["override_reason"] = check.override_reason[:500]
    audit_log(
        request=request or _request(),
        user=user,
        action=AuditAction.CREATE,
        obj=check,
        outcome=outcome,
        detail=detail,
    )


def _save(
    record: Record, *, trigger: str, hits: Sequence[Hit], user=None, outcome: str | None = None, reason: str = ""
) -> CreditCheck:
    return CreditCheck.objects.create(
        record_id=record.pk,
        subject_id=record.subject_id,
        trigger=trigger,
        outcome=outcome or (CheckOutcome.HIT if hits else CheckOutcome.CLEAR),
        hit_count=len(hits),
        hits=[h.as_json() for h in hits],
        override_reason=reason,
        checked_by=user if getattr(user, "pk", None) else None,
    )


def check_record(*, record: Record, trigger: str, user=None, request=None) -> CreditCheck | None:
    """Check ``record``'s subject if the record is an award or recognition; store and audit the check."""
    if not is_recognition(record) or record.subject_id is None:
        return None
    check = _save(record, trigger=trigger, hits=record_hits(record), user=user)
    _audit(check, user=user, request=request)
    return check


def check_records(*, records: Sequence[Record], trigger: str, user=None) -> list[CreditCheck]:
    """``check_record`` for many records at once (an import): one set-based look-up for all their subjects."""
    records = [r for r in records if r.subject_id is not None and is_recognition(r)]
    if not records:
        return []
    identifiers = dict(Subject.objects.filter(pk__in={r.subject_id for r in records}).values_list("pk", "identifier"))
    found = hits_for(identifiers.values())
    checks = []
    with transaction.atomic():
        for record in records:
            check = _save(record, trigger=trigger, hits=found.get(identifiers[record.subject_id], []), user=user)
            _audit(check, user=user)
            checks.append(check)
    return checks


def refusal_message(hits: Sequence[Hit]) -> str:
    sources = "、".join(dict.fromkeys(h.label for h in hits))
    return _(
        "信用审查：该主体有 %(n)d 条尚在有效期内的失信信息（%(sources)s），不能直接审核通过。请核查后退回；"
        "如确需通过，请在“例外通过理由”中说明理由后再审核通过（接口传 credit_check_override）。"
    ) % {"n": len(hits), "sources": sources}


def _refused(*, record_id: int, subject_id: int | None, hits: list[dict], user, request=None) -> None:
    """The audit of a refused approval, written after its transaction rolled back (``credit.guards``)."""
    check = CreditCheck.objects.create(
        record_id=record_id,
        subject_id=subject_id,
        trigger=CheckTrigger.APPROVE,
        outcome=CheckOutcome.REFUSED,
        hit_count=len(hits),
        hits=hits,
        checked_by=user if getattr(user, "pk", None) else None,
    )
    _audit(check, user=user, request=request, outcome=AuditOutcome.DENIED)


def approval_guard(*, record: Record, user, override_reason: str = "") -> None:
    """credit's approval guard: refuse (RecordError on ``credit_check_override``) to approve an award or
    recognition whose subject has live dishonesty, unless ``override_reason`` explains why; store and audit the check
    either way (with the override when there is one)."""
    if not is_recognition(record) or record.subject_id is None:
        return
    hits = record_hits(record)
    if hits and not override_reason:
        error = RecordError({OVERRIDE_FIELD: [refusal_message(hits)]}, code="credit_check")
        error.after_rollback = partial(
            _refused, record_id=record.pk, subject_id=record.subject_id, hits=[h.as_json() for h in hits]
        )
        raise error
    outcome = CheckOutcome.OVERRIDDEN if hits else CheckOutcome.CLEAR
    check = _save(record, trigger=CheckTrigger.APPROVE, hits=hits, user=user, outcome=outcome, reason=override_reason)
    _audit(check, user=user)
