"""Writing credit records: create, edit and the review lifecycle. Views and API endpoints only call these.

Every write validates through the item's form (the same validation as the browser form and the batch import),
computes the derived dates, links the subject and records who did it; a domain error carries a Chinese message
per field key.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit.models import Item, Office, Record, RecordStatus, Subject
from credit.registry import form_for_item, model_for_item
from credit.services.calendar import item_due_date

NON_FIELD = "non_field_errors"


class RecordError(Exception):
    """A write that cannot be done; ``errors`` maps field keys (or ``non_field_errors``) to Chinese messages."""

    def __init__(self, errors: Mapping[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {NON_FIELD: [errors]}
        self.errors = {key: [str(m) for m in msgs] for key, msgs in errors.items()}
        super().__init__("; ".join(m for msgs in self.errors.values() for m in msgs))


class RecordStateError(RecordError):
    """The record is not in a state that allows the action (stale page, double click, another reviewer first)."""


def labelled_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """Form errors keyed by field key, each message prefixed by the field's Chinese name (for API and import)."""
    out: dict[str, list[str]] = {}
    for key, errors in form.errors.items():
        if key == "__all__":
            out[NON_FIELD] = list(errors)
            continue
        label = form.fields[key].label if key in form.fields else key
        out[key] = [f"{label}：{message}" for message in errors]
    return out


def _validity_end(business_date: datetime.date, years: int) -> datetime.date:
    try:
        return business_date.replace(year=business_date.year + years)
    except ValueError:  # 29 February
        return business_date.replace(year=business_date.year + years, day=28)


def _derive(record: Record, user) -> None:
    """Set the fields that follow from the entered ones: due date, validity end, subject, who and when."""
    result = item_due_date(record.item, record.business_date)
    record.due_date, record.due_date_provisional = result.due, result.provisional
    record.validity_end = _validity_end(
        record.business_date, record.item.validity_years or settings.RECORD_VALIDITY_YEARS
    )
    identity = record.subject_identity()
    if identity:
        kind, identifier, identifier_kind = identity
        subject, created = Subject.objects.get_or_create(
            kind=kind,
            identifier=identifier,
            defaults={"identifier_kind": identifier_kind, "name": record.subject_name or identifier},
        )
        if not created and record.subject_name and subject.name != record.subject_name:
            subject.name = record.subject_name
            subject.save(update_fields=["name", "updated_at"])
        record.subject = subject
    record.updated_by = user
    record.updated_at = timezone.now()


def _validate(record: Record, data: Mapping[str, Any]) -> Record:
    form = form_for_item(record.ITEM_NO)(data=data, instance=record)
    if not form.is_valid():
        raise RecordError(labelled_errors(form))
    return form.instance


def clerk_offices_for(user, item: Item) -> list[Office]:
    """The offices through which ``user`` may report ``item``."""
    if not (user.is_authenticated and user.is_active and user.role == "clerk"):
        return []
    return [office for office in user.offices.all() if item.owned_by(office)]


def resolve_office(user, item: Item, office_code: str | None) -> Office:
    """The reporting office of a new record: the one named, or the clerk's only office that owns the item."""
    offices = clerk_offices_for(user, item)
    if not offices:
        raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": item.name})
    if office_code:
        for office in offices:
            if office.code == office_code:
                return office
        raise RecordError({"office": [_("报送处室：您不能以“%(code)s”的名义报送该事项。") % {"code": office_code}]})
    if len(offices) > 1:
        raise RecordError({"office": [_("报送处室：您属于多个处室，请选择报送处室。")]})
    return offices[0]


@transaction.atomic
def record_create(
    *, item: Item, user, data: Mapping[str, Any], office: Office | None = None, submit: bool = False
) -> Record:
    """Create a record of ``item`` as a draft (or submitted, with ``submit``) from the entered field values."""
    if office is None:
        office = resolve_office(user, item, data.get("office"))
    elif office not in clerk_offices_for(user, item):
        raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": item.name})
    model = model_for_item(item.no)
    now = timezone.now()
    record = model(item=item, office=office, created_by=user, created_at=now, updated_by=user, updated_at=now)
    record = _validate(record, data)
    _derive(record, user)
    record.full_clean()
    record.save()
    if submit:
        return record_submit(record=record, user=user)
    return record


@transaction.atomic
def record_update(*, record: Record, user, data: Mapping[str, Any]) -> Record:
    """Change the entered values of a draft or returned record; fields absent from ``data`` keep their values."""
    _require_office_clerk(user, record)
    record = _locked(record)
    if "version" in data and str(data["version"]) != str(record.version):
        raise RecordStateError(_("该记录已被他人修改（当前版本 %(v)s），请刷新后重新编辑。") % {"v": record.version})
    if not record.is_editable:
        raise RecordStateError(_("记录当前状态为“%(status)s”，不能修改。") % {"status": record.get_status_display()})
    keys = [*record.field_keys(), "business_date"]
    merged = {key: getattr(record, key) for key in keys}
    merged.update({key: value for key, value in data.items() if key in keys})
    if record.BUSINESS_DATE_FIELD and "business_date" not in data:
        merged["business_date"] = None  # follows the natural date field again
    record = _validate(record, merged)
    _derive(record, user)
    record.version += 1
    record.full_clean()
    record.save()
    return record


def _locked(record: Record) -> Record:
    """The typed record re-read under a row lock, so two concurrent actions see each other's result."""
    model = model_for_item(record.item.no)
    return model.objects.select_for_update().select_related("item", "office").get(pk=record.pk)


def _transition(record: Record, *, user, allowed_from: set[str], to: str, reason: str = "") -> Record:
    record = _locked(record)
    if record.status not in allowed_from:
        raise RecordStateError(
            _("操作未执行：记录当前状态为“%(status)s”，可能已被他人处理，请刷新页面。")
            % {"status": record.get_status_display()}
        )
    now = timezone.now()
    record.status = to
    record.updated_by, record.updated_at = user, now
    record.version += 1
    if to == RecordStatus.SUBMITTED:
        record.submitted_at = now
    elif to in {RecordStatus.APPROVED, RecordStatus.RETURNED, RecordStatus.REVOKED}:
        record.decided_at, record.decided_by, record.decision_reason = now, user, reason
    record._change_reason = f"{to}:{reason}"[:100]
    record.save()
    return record


@transaction.atomic
def record_submit(*, record: Record, user) -> Record:
    """草稿 / 已退回 → 待审核."""
    _require_office_clerk(user, record)
    return _transition(
        record, user=user, allowed_from={RecordStatus.DRAFT, RecordStatus.RETURNED}, to=RecordStatus.SUBMITTED
    )


def _require_office_clerk(user, record: Record) -> None:
    if not (
        user.is_authenticated
        and user.is_active
        and user.role == "clerk"
        and user.offices.filter(pk=record.office_id).exists()
    ):
        raise PermissionDenied(_("只有报送处室的填报员可以修改或提交该记录。"))


def _require_reviewer(user) -> None:
    if not (user.is_authenticated and user.is_active and user.role == "reviewer"):
        raise PermissionDenied


@transaction.atomic
def record_approve(*, record: Record, user) -> Record:
    """待审核 → 已通过 (reviewer)."""
    _require_reviewer(user)
    return _transition(record, user=user, allowed_from={RecordStatus.SUBMITTED}, to=RecordStatus.APPROVED)


@transaction.atomic
def record_return(*, record: Record, user, reason: str) -> Record:
    """待审核 → 已退回 with the reviewer's reason (required)."""
    _require_reviewer(user)
    if not (reason or "").strip():
        raise RecordError({"reason": [_("退回理由：请填写退回理由。")]})
    return _transition(
        record, user=user, allowed_from={RecordStatus.SUBMITTED}, to=RecordStatus.RETURNED, reason=reason.strip()
    )


@transaction.atomic
def record_revoke(*, record: Record, user, reason: str) -> Record:
    """已通过 → 已撤销: the decision was annulled (reviewer; reason required)."""
    _require_reviewer(user)
    if not (reason or "").strip():
        raise RecordError({"reason": [_("撤销理由：请填写撤销理由。")]})
    return _transition(
        record, user=user, allowed_from={RecordStatus.APPROVED}, to=RecordStatus.REVOKED, reason=reason.strip()
    )


@transaction.atomic
def records_expire(*, today: datetime.date | None = None) -> int:
    """已通过 → 已过期 for records past their validity end (no longer exported or published; kept for audit)."""
    today = today or timezone.localdate()
    expired = 0
    for record in Record.objects.filter(status=RecordStatus.APPROVED, validity_end__lt=today).select_related("item"):
        typed = _locked(record)
        typed.status = RecordStatus.EXPIRED
        typed.version += 1
        typed.updated_at = timezone.now()
        typed._change_reason = "expired"
        typed.save()
        expired += 1
    return expired
