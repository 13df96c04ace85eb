"""Objections (异议申诉) and credit repair (信用修复): filing with evidence, the ten-working-day timer, and the
reviewer's decision, whose outcome changes the column and queues a correction for the municipal platform."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from core.scoping import require_role
from core.workflow import transition
from credit.catalog import ItemSpec
from credit.services.calendar import due_date_for
from publicity.masking import mask_free_text
from publicity.models import (
    BlackListEntry,
    CorrectionKind,
    LicenceDecision,
    Objection,
    Outcome,
    Publication,
    PublicationKind,
    RepairApplication,
    RequestStatus,
)
from publicity.models.requests import PublicRequest, contact_key, new_tracking_code
from publicity.services.blacklist import blacklist_remove
from publicity.services.corrections import correction_notice_create
from publicity.services.errors import PublicityError, PublicityStateError
from publicity.services.licences import licence_withdraw
from publicity.services.publications import add_months, penalty_period, publication_withdraw, typed_record
from publicity.validators import size_text, validate_evidence

EVIDENCE_CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
_UNSAFE_NAME = re.compile(r"[^\w.（）()\-]+")


@dataclass
class Evidence:
    """An opened evidence file, ready to stream: the caller closes ``file`` (a FileResponse does)."""

    file: Any
    filename: str
    content_type: str


def evidence_filename(req: PublicRequest, which: str = "evidence") -> str:
    """A download name safe in any header and file system: the visitor's name reduced to word characters, with
    the extension of the stored (checked) file, never the visitor's; the tracking code when nothing usable is left."""
    stored = getattr(req, which)
    ext = stored.name.rsplit(".", 1)[-1].lower() if "." in stored.name else "bin"
    stem = (getattr(req, f"{which}_name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE_NAME.sub("_", stem).strip("._")[:80]
    fallback = _("信用承诺书") if which == "commitment" else _("证明材料")
    return f"{stem or req.tracking_code + '-' + fallback}.{ext}"


def request_evidence_open(*, req: PublicRequest, user, http_request=None, which: str = "evidence") -> Evidence:
    """Open the evidence (or a repair's 信用承诺书, ``which="commitment"``) of an objection or repair for a reviewer,
    and record the download in the audit log (the evidence may show a person's ID card). A file gone from storage is
    a clear error, audited as a failure."""
    require_role(user, Role.REVIEWER)
    stored = getattr(req, which, None)
    if not stored:
        raise PublicityError(_("该申请未提交证明材料。"))
    try:
        handle = stored.open("rb")
    except OSError as exc:
        audit_log(
            request=http_request,
            user=user,
            action=AuditAction.DOWNLOAD,
            outcome=AuditOutcome.FAILURE,
            obj=req,
            detail={"file": which, "error": "missing"},
        )
        raise PublicityError(_("证明材料文件已不存在或无法读取，请联系系统管理员核查存储。")) from exc
    filename = evidence_filename(req, which)
    audit_log(request=http_request, user=user, action=AuditAction.DOWNLOAD, obj=req, detail={"file": which})
    content_type = EVIDENCE_CONTENT_TYPES.get(filename.rsplit(".", 1)[-1], "application/octet-stream")
    return Evidence(file=handle, filename=filename, content_type=content_type)


def evidence_size(req: PublicRequest) -> int | None:
    """The evidence file's size, or None when there is none or it is gone from storage."""
    if not req.evidence:
        return None
    try:
        return req.evidence.size
    except OSError:
        return None


def _open_requests(**lookup) -> int:
    """Objections and repairs not yet decided that match ``lookup`` (a repair can only target a publication)."""
    total = 0
    for model in (Objection, RepairApplication):
        if model is RepairApplication and any(k in lookup for k in ("licence", "blacklist_entry")):
            continue
        total += model.objects.filter(status=RequestStatus.RECEIVED, **lookup).count()
    return total


def _evidence_bytes_today() -> int:
    since = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return sum(
        model.objects.filter(received_at__gte=since).aggregate(n=Sum("evidence_bytes"))["n"] or 0
        for model in (Objection, RepairApplication)
    )


class RequestAlreadyFiled(PublicityError):
    """The same request (same entry, applicant, contact and words) is already being handled: ``request`` is that one.

    A second press of 提交 (the first answer never shown), or the form sent again from the browser's history, would
    otherwise open a second case with a second tracking code for the same thing."""

    def __init__(self, request: PublicRequest):
        at = timezone.localtime(request.received_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(_("相同的申请已于 %(at)s 受理，正在办理中，未重复提交。") % {"at": at})
        self.request = request


def _same_open_request(req: PublicRequest, target: dict) -> PublicRequest | None:
    """The open request of ``req``'s kind on the same entry by the same applicant and contact, with the same words.
    Called with the entry's row locked (``_file``), so two identical filings sent at once find each other."""
    return (
        type(req)
        .objects.filter(
            status=RequestStatus.RECEIVED,
            contact_key=req.contact_key,
            applicant_name=req.applicant_name,
            content=req.content,
            **target,
        )
        .order_by("pk")
        .first()
    )


def _check_caps(*, target: dict, key: str, evidence_bytes: int, optional_evidence: bool = True) -> None:
    """What one visitor, one entry and one day may open: the caps on open cases per contact and per entry, and the
    column's daily evidence quota. ``target``: the request's target field and entry. Called with the entry's row
    locked, so filings on one entry are counted in turn (filings on different entries may pass the contact cap or the
    quota together by the few that run at the same moment; the address limits bound how many that can be)."""
    per_contact = settings.PUBLICITY_OPEN_REQUESTS_PER_CONTACT
    if key and _open_requests(contact_key=key) >= per_contact:
        raise PublicityError(
            {
                "applicant_contact": [
                    _(
                        "该联系方式正在办理中的异议申诉和信用修复申请已达上限（每个联系方式最多同时办理 %(n)d 件），"
                        "本次申请未提交。请待已有申请办结后再提交，或凭查询码查看办理进度。"
                    )
                    % {"n": per_contact}
                ]
            }
        )
    per_entry = settings.PUBLICITY_OPEN_REQUESTS_PER_ENTRY
    if _open_requests(**target) >= per_entry:
        raise PublicityError(
            _(
                "该公示信息正在办理中的异议申诉和信用修复申请已达上限（每条公示信息最多同时办理 %(n)d 件），"
                "本次申请未提交。请待办结后再提交。"
            )
            % {"n": per_entry}
        )
    quota = settings.PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES
    if evidence_bytes and _evidence_bytes_today() + evidence_bytes > quota:
        # ``optional_evidence``: the request carries optional evidence, which it could be filed without; a repair
        # with only its (required) 信用承诺书 can only wait for the next day.
        if optional_evidence:
            field, advice = "evidence", _("请明日再提交，或先不附证明材料提交申请。")
        else:
            field, advice = "commitment", _("请明日再提交。")
        raise PublicityError(
            {
                field: [
                    _("今日公众提交的证明材料已达每日接收总量上限（%(size)s），本次申请未提交。")
                    % {"size": size_text(quota)}
                    + advice
                ]
            }
        )


def _file(
    model: type[PublicRequest],
    *,
    applicant_name: str,
    applicant_contact: str,
    content: str,
    evidence=None,
    commitment=None,
    **target,
) -> PublicRequest:
    """File an objection or repair on ``target`` (one keyword: its target field and entry). A repair's 信用承诺书
    (``commitment``) is checked like the evidence and counts towards the daily evidence quota with it."""
    for name, upload in (("evidence", evidence), ("commitment", commitment)):
        if upload:
            try:
                validate_evidence(upload)
            except ValidationError as exc:
                raise PublicityError({name: exc.messages}) from exc
    today = timezone.localdate()
    due = due_date_for(today, settings.PUBLICITY_DECISION_WORKING_DAYS)
    req = model(
        applicant_name=applicant_name.strip(),
        applicant_contact=applicant_contact.strip(),
        content=content.strip(),
        due_date=due.due,
        due_provisional=due.provisional,
        **target,
    )
    req.contact_key = contact_key(applicant_contact)
    if evidence:
        req.evidence_name = (evidence.name or "")[-200:]
        req.evidence = evidence
        req.evidence_bytes = evidence.size or 0
    if commitment:
        req.commitment_name = (commitment.name or "")[-200:]
        req.commitment = commitment
        req.evidence_bytes += commitment.size or 0
    ((_field, entry),) = target.items()
    for _attempt in range(5):
        req.tracking_code = new_tracking_code(model.CODE_PREFIX)
        try:
            with transaction.atomic():
                type(entry).objects.select_for_update().filter(pk=entry.pk).first()
                if (earlier := _same_open_request(req, target)) is not None:
                    raise RequestAlreadyFiled(earlier)
                _check_caps(
                    target=target,
                    key=req.contact_key,
                    evidence_bytes=req.evidence_bytes,
                    optional_evidence=bool(evidence),
                )
                req.full_clean(exclude=["evidence", "commitment"])
                req.save()
            return req
        except IntegrityError:  # the rare duplicate code: draw another
            continue
        except ValidationError as exc:
            raise PublicityError(exc.message_dict) from exc
    raise PublicityError(_("系统繁忙，请稍后再试。"))


def objection_file(*, target, applicant_name: str, applicant_contact: str, content: str, evidence=None) -> Objection:
    """A visitor's objection on a public entry (penalty, red list, licence or black list)."""
    if isinstance(target, Publication):
        kw = {"publication": target}
    elif isinstance(target, LicenceDecision):
        kw = {"licence": target}
    elif isinstance(target, BlackListEntry):
        kw = {"blacklist_entry": target}
    else:
        raise PublicityError(_("不能对该信息提出异议。"))
    return _file(
        Objection,
        applicant_name=applicant_name,
        applicant_contact=applicant_contact,
        content=content,
        evidence=evidence,
        **kw,
    )


def repair_min_months(publication: Publication) -> int:
    """The minimum publicity of the penalty by the period rules (its categories, severity and sector)."""
    return penalty_period(
        publication.penalty_category,
        other_categories=publication.other_categories or (),
        severity=publication.severity,
        sector=publication.sector,
    ).min_months


def repair_earliest(publication: Publication) -> datetime.date:
    """A penalty may be withdrawn early once its minimum publicity period (by the period rules) has passed."""
    return add_months(publication.decision_date, repair_min_months(publication))


def repair_unmet(publication: Publication) -> list[str]:
    """What the penalty's record still lacks for a repair (the catalogue's ``repair_requires``: e.g. item 2's
    执行状态 must be 已执行), as Chinese messages; empty when nothing is missing."""
    typed = typed_record(publication.record)
    problems = []
    for key, values in ItemSpec.get(typed.ITEM_NO).repair_requires.items():
        value = getattr(typed, key, "")
        if value not in values:
            problems.append(
                _("%(field)s为“%(want)s”后方可信用修复（当前为“%(got)s”）。")
                % {"field": typed._meta.get_field(key).verbose_name, "want": "、".join(values), "got": value or "—"}
            )
    return problems


def repair_apply(
    *,
    publication: Publication,
    applicant_name: str,
    applicant_contact: str,
    content: str,
    evidence=None,
    commitment=None,
) -> RepairApplication:
    """A penalised subject asks for early withdrawal of a public penalty past its minimum period: the penalty must
    have been carried out (``repair_unmet``) and a 信用承诺书 (credit commitment) is required."""
    if publication.kind != PublicationKind.PENALTY:
        raise PublicityError(_("只有行政处罚信息可以申请信用修复。"))
    earliest = repair_earliest(publication)
    if timezone.localdate() < earliest:
        raise PublicityError(
            _("最短公示期（%(m)s 个月）届满后方可申请信用修复，即 %(d)s 起。")
            % {"m": repair_min_months(publication), "d": earliest}
        )
    unmet = repair_unmet(publication)
    if unmet:
        raise PublicityError(unmet)
    if not commitment:
        raise PublicityError({"commitment": [_("信用承诺书：申请信用修复须上传签署的信用承诺书（PDF、JPG、PNG）。")]})
    return _file(
        RepairApplication,
        applicant_name=applicant_name,
        applicant_contact=applicant_contact,
        content=content,
        evidence=evidence,
        commitment=commitment,
        publication=publication,
    )


def request_by_code(code: str) -> PublicRequest | None:
    """The objection or repair with tracking ``code`` (case-insensitive), or None."""
    code = (code or "").strip().upper()
    for model in (Objection, RepairApplication):
        if code.startswith(model.CODE_PREFIX):
            return model.objects.select_related("publication").filter(tracking_code=code).first()
    return None


def _correct_content(target, text: str, *, user) -> tuple[str, str]:
    """Put the corrected ``text`` on the entry; returns the public content (masked) before and after.

    A publication's content is marked corrected, so that refreshing it from its record (an approved change, the red
    list's sync) does not undo the correction. A licence keeps the text on the decision itself (its public copy is
    masked on display); a black-list entry's 事由 is the entry's own, masked like the rest of its text."""
    target = type(target).objects.select_for_update().get(pk=target.pk)
    target._history_user = user
    if isinstance(target, LicenceDecision):
        before = target.public_nr
        target.nr = text
        target.save(update_fields=["nr"])
        return before, target.public_nr
    field = "content" if isinstance(target, Publication) else "reason"
    before = getattr(target, field)
    setattr(target, field, mask_free_text(text))
    fields = [field]
    if isinstance(target, Publication):
        target.corrected_at = timezone.now()
        fields.append("corrected_at")
    target.save(update_fields=fields)
    return before, getattr(target, field)


def _correct_fields(target: Publication, values: dict, *, user) -> list[tuple[str, str, str]]:
    """Correct published fields of a publication (name, decision number, date, content…): each stands over later
    refreshes from the record (``Publication.corrected_fields``); simple-history keeps the values before. Returns
    (label, before, after) of each field that changed."""
    pub = Publication.objects.select_for_update().get(pk=target.pk)
    pub._history_user = user
    changed = []
    corrections = dict(pub.corrected_fields or {})
    for field in Publication.CORRECTABLE_FIELDS:
        value = values.get(field)
        if value in (None, ""):
            continue
        before = getattr(pub, field)
        stored = value.isoformat() if isinstance(value, datetime.date) else mask_free_text(str(value).strip())
        if field == "decision_date":
            setattr(pub, field, value)
        else:
            setattr(pub, field, stored)
        after = getattr(pub, field)
        if after != before:
            corrections[field] = stored
            changed.append((str(Publication._meta.get_field(field).verbose_name), str(before), str(after)))
    if changed:
        pub.corrected_fields = corrections
        try:
            pub.full_clean()
        except ValidationError as exc:
            raise PublicityError(exc.message_dict) from exc
        pub.save()
    return changed


@transaction.atomic
def request_decide(
    *,
    request: PublicRequest,
    user,
    outcome: str,
    reply: str,
    corrected_content: str = "",
    corrections: dict | None = None,
) -> PublicRequest:
    """Decide an objection or repair: 予以更正 corrects the entry (its public content, and for a penalty or red-list
    entry any published field given in ``corrections``), 提前撤下 withdraws it, 维持 keeps it. Corrections and
    withdrawals are queued for the municipal platform."""
    require_role(user, Role.REVIEWER)
    # The one lifecycle move (row lock, state check, who and when); a refusal below rolls it back with the rest.
    req = transition(
        request,
        allowed_from={RequestStatus.RECEIVED},
        to=RequestStatus.DECIDED,
        user=user,
        values={"outcome": outcome, "reply": (reply or "").strip()},
        stale=lambda _req: PublicityStateError(_("该申请已办结。")),
        change_reason=None,
    )
    if outcome not in Outcome.values:
        raise PublicityError({"outcome": [_("请选择办理结果。")]})
    if not (reply or "").strip():
        raise PublicityError({"reply": [_("请填写答复意见。")]})
    if isinstance(req, RepairApplication) and outcome == Outcome.CORRECTED:
        raise PublicityError({"outcome": [_("信用修复的结果为“提前撤下公示”或“维持原公示”。")]})
    if isinstance(req, RepairApplication) and outcome == Outcome.WITHDRAWN and (unmet := repair_unmet(req.publication)):
        raise PublicityError({"outcome": unmet})
    target = req.target
    ref, source = req.tracking_code, "objection" if isinstance(req, Objection) else "repair"
    if outcome == Outcome.WITHDRAWN:
        reason = _("%(src)s %(code)s：%(reply)s") % {
            "src": _("异议申诉") if source == "objection" else _("信用修复"),
            "code": ref,
            "reply": reply.strip(),
        }
        if isinstance(target, Publication):
            publication_withdraw(publication=target, user=user, reason=reason, source=source, source_reference=ref)
        elif isinstance(target, LicenceDecision):
            licence_withdraw(licence=target, user=user, reason=reason, source=source, source_reference=ref)
        else:
            blacklist_remove(entry=target, user=user, reason=reason, source=source, source_reference=ref)
    elif outcome == Outcome.CORRECTED:
        text = (corrected_content or "").strip()
        fields = {k: v for k, v in (corrections or {}).items() if v not in (None, "")}
        if fields and not isinstance(target, Publication):
            raise PublicityError({"corrected_content": [_("该类信息只能更正公示内容。")]})
        if not text and not fields:
            raise PublicityError({"corrected_content": [_("请填写更正后的公示内容或需更正的字段。")]})
        changes = []
        if fields:
            changes = [
                _("%(f)s：“%(a)s” → “%(b)s”") % {"f": label, "a": a, "b": b}
                for label, a, b in _correct_fields(target, fields, user=user)
            ]
        if text:
            before, after = _correct_content(target, text, user=user)
            changes.append(_("公示内容：“%(a)s” → “%(b)s”") % {"a": before, "b": after})
        correction_notice_create(
            kind=CorrectionKind.CORRECTED,
            source=source,
            source_reference=ref,
            description=_("更正公示信息：%(c)s") % {"c": "；".join(changes) or _("无变化")},
            **{
                {Publication: "publication", LicenceDecision: "licence", BlackListEntry: "blacklist_entry"}[
                    type(target)
                ]: target
            },
        )
    return req
