"""Licensing decisions (行政许可): entered by an office's clerk, reviewed by the General Office like the items, then
published on the column (within seven working days of the decision)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.errors import form_errors
from core.scoping import require_role
from core.transactions import hold_transaction_lock
from core.workflow import transition
from credit.models import Office, Subject, SubjectKind
from credit.validators import classify_org_code
from publicity.forms import LicenceForm
from publicity.models import CorrectionKind, LicenceDecision, LicenceStatus
from publicity.services.corrections import correction_notice_create
from publicity.services.entries import public_code_for
from publicity.services.errors import PublicityError, PublicityForbiddenError, PublicityStateError
from publicity.services.reasons import reason_clean


def _derive(licence: LicenceDecision) -> None:
    """Subject link and the public (masked) columns, from the xk_* values."""
    natural = licence.xdr_lb == "自然人"
    kind = SubjectKind.NATURAL if natural else SubjectKind.LEGAL
    identifier = (licence.xdr_zjhm if natural else licence.xdr_shxym).strip().upper()
    licence.subject_kind, licence.subject_name = kind, licence.xdr_mc
    licence.public_code = public_code_for(kind, identifier)
    licence.document_number = licence.wsh
    licence.search_text = licence.build_search_text()
    if identifier and set(identifier) != {"0", "X"}:  # not the 17 zeros + X placeholder of 个体工商户
        if natural:
            identifier_kind = "cn_id" if licence.xdr_zjlx == "身份证" else licence.xdr_zjlx
        else:
            try:
                identifier_kind = classify_org_code(identifier)
            except ValidationError:
                identifier_kind = ""
        subject, _created = Subject.objects.get_or_create(
            kind=kind, identifier=identifier, defaults={"identifier_kind": identifier_kind, "name": licence.xdr_mc}
        )
        licence.subject = subject
    else:
        licence.subject = None


def _clerk_office(user, office: Office | None, *, named: bool = False) -> Office:
    """The clerk's office for a licensing decision: ``office``, or their only office when it is None.

    ``named``: ``office`` is the value the clerk sent, so one that is not theirs is a PublicityForbiddenError on
    ``office`` (403, like the record and import APIs); a stored decision's office that is not theirs stays a plain
    PermissionDenied.
    """
    require_role(user, Role.CLERK)
    offices = list(user.offices.all())
    if office is None:
        if len(offices) != 1:
            raise PublicityError({"office": [_("报送处室：请选择报送处室。")]})
        return offices[0]
    if office not in offices:
        if named:
            raise PublicityForbiddenError(
                {"office": [_("报送处室：您不能以“%(office)s”的名义填报行政许可决定。") % {"office": office.name}]}
            )
        raise PermissionDenied
    return office


def _validated(licence: LicenceDecision, data: Mapping[str, Any]) -> LicenceDecision:
    form = LicenceForm(data=data, instance=licence)
    if not form.is_valid():
        raise PublicityError(form_errors(form))
    return form.instance


def _check_not_a_duplicate(licence: LicenceDecision, user) -> None:
    """Refuse a decision that repeats a stored one the user may see (the same 行政许可决定文书号 for the same 行政相对人;
    revoked ones do not count), naming it: entered twice, it would be published and reported twice. Under one lock
    for every licence write, so two saves sent at once cannot both pass (``core.transactions``)."""
    hold_transaction_lock(_LICENCE_LOCK, 0)
    same = (
        LicenceDecision.objects.restrict(user, "view")
        .exclude(status=LicenceStatus.REVOKED)
        .filter(wsh=licence.wsh, subject_kind=licence.subject_kind, public_code=licence.public_code)
    )
    if licence.pk:
        same = same.exclude(pk=licence.pk)
    match = same.order_by("pk").values_list("pk", flat=True).first()
    if match is not None:
        raise PublicityError(
            {
                "wsh": [
                    _(
                        "已有相同的行政许可决定 #%(id)s（行政相对人与行政许可决定文书号相同），请勿重复填报；"
                        "如需修改，请打开该决定。"
                    )
                    % {"id": match}
                ]
            }
        )


# The first key of the lock licence writes take (``core.transactions.hold_transaction_lock``): "lk", licence keys.
_LICENCE_LOCK = 0x6C6B


@transaction.atomic
def licence_create(
    *, user, data: Mapping[str, Any], office: Office | None = None, submit: bool = False
) -> LicenceDecision:
    """A new licensing decision as a draft (or submitted), for ``office`` (the clerk's only office when None)."""
    office = _clerk_office(user, office, named=True)
    licence = _validated(LicenceDecision(office=office, created_by=user), data)
    _derive(licence)
    _check_not_a_duplicate(licence, user)
    licence.full_clean()
    licence.save()
    return licence_submit(licence=licence, user=user) if submit else licence


@transaction.atomic
def licence_update(*, licence: LicenceDecision, user, data: Mapping[str, Any]) -> LicenceDecision:
    """Edit a draft or returned decision (its office's clerks only)."""
    _clerk_office(user, licence.office)
    licence = LicenceDecision.objects.select_for_update().get(pk=licence.pk)
    if not licence.is_editable:
        raise PublicityStateError(_("当前状态为“%(s)s”，不能修改。") % {"s": licence.get_status_display()})
    licence = _validated(licence, data)
    _derive(licence)
    _check_not_a_duplicate(licence, user)
    licence.full_clean()
    licence.save()
    return licence


def _transition(licence: LicenceDecision, *, allowed: set[str], to: str, user, reason: str = "") -> LicenceDecision:
    return transition(
        licence,
        allowed_from=allowed,
        to=to,
        user=user,
        reason=reason,
        decides=to != LicenceStatus.SUBMITTED,
        values=lambda locked, now: {"submitted_at": now} if to == LicenceStatus.SUBMITTED else {},
        error=PublicityStateError,
    )


@transaction.atomic
def licence_submit(*, licence: LicenceDecision, user) -> LicenceDecision:
    """草稿 / 已退回 → 待审核."""
    _clerk_office(user, licence.office)
    return _transition(
        licence, allowed={LicenceStatus.DRAFT, LicenceStatus.RETURNED}, to=LicenceStatus.SUBMITTED, user=user
    )


@transaction.atomic
def licence_approve(*, licence: LicenceDecision, user, publish: bool = True) -> LicenceDecision:
    """待审核 → 已通过 (reviewer); published at once unless ``publish`` is false."""
    require_role(user, Role.REVIEWER)
    licence = _transition(licence, allowed={LicenceStatus.SUBMITTED}, to=LicenceStatus.APPROVED, user=user)
    return licence_publish(licence=licence, user=user) if publish else licence


@transaction.atomic
def licence_return(*, licence: LicenceDecision, user, reason: str) -> LicenceDecision:
    """待审核 → 已退回 with the reviewer's reason."""
    require_role(user, Role.REVIEWER)
    reason = reason_clean(reason, label=_("退回理由"), missing=_("退回理由：请填写退回理由。"))
    return _transition(licence, allowed={LicenceStatus.SUBMITTED}, to=LicenceStatus.RETURNED, user=user, reason=reason)


@transaction.atomic
def licence_publish(*, licence: LicenceDecision, user) -> LicenceDecision:
    """Put an approved decision on the column."""
    require_role(user, Role.REVIEWER)
    licence = LicenceDecision.objects.select_for_update().get(pk=licence.pk)
    if licence.status != LicenceStatus.APPROVED:
        raise PublicityStateError(_("只有审核通过的许可决定才能公示。"))
    if not licence.published_at:
        licence.published_at = timezone.now()
        licence.save(update_fields=["published_at"])
    return licence


@transaction.atomic
def licence_revoke(*, licence: LicenceDecision, user, reason: str) -> LicenceDecision:
    """已通过 → 已撤销: the decision was annulled; it leaves the column at once and a correction is queued."""
    require_role(user, Role.REVIEWER)
    reason = reason_clean(reason, label=_("撤销理由"), missing=_("撤销理由：请填写撤销理由。"))
    licence = _transition(licence, allowed={LicenceStatus.APPROVED}, to=LicenceStatus.REVOKED, user=user, reason=reason)
    correction_notice_create(
        kind=CorrectionKind.WITHDRAWN,
        source="revoked",
        licence=licence,
        description=_("许可决定已撤销：%(r)s") % {"r": reason},
    )
    return licence


@transaction.atomic
def licence_withdraw(
    *, licence: LicenceDecision, user, reason: str, source: str = "reviewer", source_reference: str = ""
) -> LicenceDecision:
    """Take a licence off the column (e.g. an upheld objection) without revoking the decision."""
    require_role(user, Role.REVIEWER)
    licence = LicenceDecision.objects.select_for_update().get(pk=licence.pk)
    if not licence.withdrawn_at:
        licence.withdrawn_at, licence.withdrawn_reason = timezone.now(), reason
        licence.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        correction_notice_create(
            kind=CorrectionKind.WITHDRAWN,
            source=source,
            source_reference=source_reference,
            licence=licence,
            description=_("撤下公示：%(r)s") % {"r": reason},
        )
    return licence
