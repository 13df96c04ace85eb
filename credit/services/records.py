"""Writing credit records: create, edit and the review lifecycle. Views and API endpoints only call these.

Every write validates through the item's form (the same validation as the browser form and the batch import),
computes the derived dates, links the subject and records who did it; a domain error carries a Chinese message
per field key.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from audit.services import audit_log
from core.errors import DomainError, ForbiddenError, StateError, form_errors
from core.scoping import require_role
from core.transactions import hold_transaction_lock
from core.workflow import transition
from credit import validators
from credit.catalog import ItemSpec
from credit.forms import form_for_item
from credit.guards import after_refusal, run_approval_guards
from credit.models import (
    ChangeStatus,
    EventAction,
    Item,
    Office,
    Record,
    RecordChange,
    RecordEvent,
    RecordStatus,
    Subject,
)
from credit.registry import model_for_item
from credit.selectors import records_in_force
from credit.services.calendar import item_due_date
from credit.signals import record_approved, record_changed

# The refusal whenever someone other than a clerk of the record's office changes, submits or withdraws it.
OFFICE_CLERK_ONLY = gettext_lazy("只有报送处室的填报员可以修改或提交该记录。")


class RecordError(DomainError):
    """A record write that cannot be done; ``errors`` maps field keys (or ``non_field_errors``) to Chinese messages."""


class RecordStateError(RecordError, StateError):
    """The record is not in a state that allows the action (stale page, double click, another reviewer first)."""


class RecordVersionConflict(RecordStateError):
    """The edit was made on an older version of the record (saved meanwhile in another tab, by a colleague, by an
    import): refused; ``version`` is the record's current version."""

    def __init__(self, version: int, message: str | None = None) -> None:
        self.version = version
        super().__init__(
            message
            or _("该记录已在别处被修改（当前为第 %(v)s 版），本次修改未保存，以免覆盖那次修改。") % {"v": version}
        )


class DuplicateRecordError(RecordError):
    """The record repeats a stored one the user may see (``natural_key_duplicate``): ``record_id`` is that one, which
    the form links to."""

    default_code = "duplicate"

    def __init__(self, errors, *, record_id: int):
        super().__init__(errors)
        self.record_id = record_id


class RecordForbiddenError(RecordError, ForbiddenError):
    """The clerk named an office they may not report through (403, on ``office``); the form shows it like any
    RecordError."""


def validity_end_for(business_date: datetime.date, years: int) -> datetime.date:
    """The end of a record's validity (有效期限): ``years`` after its business date (28 February for 29 February)."""
    try:
        return business_date.replace(year=business_date.year + years)
    except ValueError:  # 29 February
        return business_date.replace(year=business_date.year + years, day=28)


def _derive(record: Record, user) -> None:
    """Set the fields that follow from the entered ones: due date, validity end, subject, who and when."""
    result = item_due_date(record.item, record.business_date)
    record.due_date, record.due_date_provisional = result.due, result.provisional
    record.validity_end = validity_end_for(
        record.business_date, record.item.validity_years or settings.RECORD_VALIDITY_YEARS
    )
    identity = record.subject_identity()
    if identity:
        kind, identifier, identifier_kind = identity
        # The subject is the ID number or credit code; its name is the one it was first entered with. A record keeps
        # the name as entered and never renames the subject, so other offices' (published) records stay as they are.
        subject, _created = Subject.objects.get_or_create(
            kind=kind,
            identifier=identifier,
            defaults={"identifier_kind": identifier_kind, "name": record.subject_name or identifier},
        )
        record.subject = subject
    else:  # the 个体工商户 placeholder code (or an edit that removed the identifier): no credit subject
        record.subject = None
    record.updated_by = user
    record.updated_at = timezone.now()
    record._history_user = user


# The values of ``confirm_subject_name`` that confirm: a checked box ("1", "on") or JSON ``true``.
_CONFIRMED = {True, "1", "on", "true", "True"}


def subject_name_conflict(record: Record) -> Subject | None:
    """The stored subject ``record`` identifies (ID number or credit code) when the record names it differently."""
    identity = record.subject_identity()
    name = (record.subject_name or "").strip()
    if not identity or not name:
        return None
    kind, identifier, _kind = identity
    subject = Subject.objects.filter(kind=kind, identifier=identifier).first()
    return subject if subject is not None and subject.name != name else None


def subject_visible_to(subject: Subject, user) -> bool:
    """Whether ``user`` may know ``subject`` exists: a reviewer, or a clerk whose offices hold a record of it."""
    return getattr(user, "is_reviewer", False) or Record.objects.restrict(user).filter(subject=subject).exists()


def subject_name_warning(subject: Subject, entered: str) -> str:
    """The warning that ``entered`` differs from ``subject``'s registered name, naming both."""
    return _(
        "确认主体名称不同：该证件号码或统一社会信用代码对应的信用主体已登记为“%(known)s”，本记录填写的名称为"
        "“%(entered)s”。请核对号码和名称，确认无误后勾选“确认主体名称不同”再保存（接口传 "
        "confirm_subject_name: true）。"
    ) % {"known": subject.name, "entered": entered}


def _check_subject_name(record: Record, data: Mapping[str, Any], user) -> None:
    """Refuse, on ``confirm_subject_name``, a record naming a known subject differently unless the clerk confirmed.

    The ID number or credit code identifies the subject; a different name is either a mistyped number (another
    person's records) or a renamed organisation, which only the clerk can tell. The record keeps its name either way
    and the subject is never renamed. Only a subject the user may see is checked: a warning about a subject known
    only to other offices would tell a clerk that another office holds a record of that person (a cross-office
    oracle), so such a record is saved as entered and the reviewer sees the conflict on the record page.
    """
    if data.get("confirm_subject_name") in _CONFIRMED:
        return
    subject = subject_name_conflict(record)
    if subject is not None and subject_visible_to(subject, user):
        raise RecordError({"confirm_subject_name": [subject_name_warning(subject, record.subject_name)]})


def shares_placeholder_code(record: Record) -> bool:
    """Whether ``record`` identifies its subject by the code that every unlicensed 个体工商户 shares
    (``validators.USCC_PLACEHOLDER``), so that only the name tells two of them apart."""
    field = record.SUBJECT_ID_FIELD
    return bool(field) and str(getattr(record, field, "") or "").strip().upper() == validators.USCC_PLACEHOLDER


def natural_key_duplicate(record: Record, user) -> int | None:
    """The id of a stored record of the same item that ``user`` may see with ``record``'s natural key, if any.

    The natural key (the catalogue's ``natural_key``: the subject's identifier with the decision's number, date or
    kind) says when two records are the same decision. Revoked and expired records do not count, nor ``record``
    itself. The same rule as the batch import's (``reporting.imports.rows``), so a record refused there is refused on
    the form too; and, like there, only the user's scope counts: a refusal naming another office's record would tell
    a clerk that it exists.
    """
    keys = ItemSpec.get(record.ITEM_NO).natural_key
    values = {key: getattr(record, key) for key in keys}
    if any(value in (None, "") for value in values.values()):
        return None
    if shares_placeholder_code(record):
        # Every unlicensed 个体工商户 has this code: the same decision is also the same business's (its name).
        values[record.SUBJECT_NAME_FIELD] = record.subject_name
    stored = records_in_force(type(record), user).filter(**values)
    if record.pk:
        stored = stored.exclude(pk=record.pk)
    return stored.order_by("pk").values_list("pk", flat=True).first()


def _check_not_a_duplicate(record: Record, user) -> None:
    """Refuse a record that repeats a stored one (``natural_key_duplicate``), naming it and the fields that match.

    Two presses of 保存 a moment apart, or the same decision entered twice, are two identical records: reported to
    the platform and published twice. Checked under the item's write lock (``serialise_item_writes``), so two
    requests sent at once cannot both pass.
    """
    match = natural_key_duplicate(record, user)
    if match is None:
        return
    spec = ItemSpec.get(record.ITEM_NO)
    fields = "、".join(spec.field(key).name for key in spec.natural_key)
    raise DuplicateRecordError(
        {
            "non_field_errors": [
                _("系统中已有相同记录 #%(id)s（%(fields)s 相同），请勿重复报送；如需修改，请打开该记录。")
                % {"id": match, "fields": fields}
            ]
        },
        record_id=match,
    )


def serialise_item_writes(item_id: int) -> None:
    """Hold, until the transaction ends, the lock that orders the writes of records of item ``item_id`` (the form, the
    API and the import take it before they look for a stored record of the same decision).

    Taken before any record's row lock (``_locked``), in every path: a transaction holding a record's row while
    waiting for this lock, beside one holding this lock while waiting for that row, would deadlock."""
    hold_transaction_lock(_RECORD_KEY_LOCK, item_id)


# The first key of the lock (``core.transactions.hold_transaction_lock``): "rk", record keys; the second is the item.
_RECORD_KEY_LOCK = 0x726B


def _event(
    record: Record,
    *,
    action: str,
    user,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    change: RecordChange | None = None,
    at: datetime.datetime | None = None,
) -> RecordEvent:
    """Write one lifecycle event of ``record`` (the record page's timeline and the audit of every transition)."""
    return RecordEvent.objects.create(
        record_id=record.pk,
        action=action,
        from_status=from_status,
        to_status=to_status,
        user=user if getattr(user, "pk", None) else None,
        reason=reason,
        change=change,
        at=at or timezone.now(),
    )


def _validate(record: Record, data: Mapping[str, Any]) -> Record:
    form = form_for_item(record.ITEM_NO)(data=data, instance=record)
    if not form.is_valid():
        raise RecordError(form_errors(form), form=form)
    return form.instance


def clerk_offices_for(user, item: Item) -> list[Office]:
    """The offices through which ``user`` may report ``item``."""
    if not (user.is_authenticated and user.is_active and user.role == Role.CLERK):
        return []
    return [office for office in user.offices.all() if item.owned_by(office)]


def resolve_office(user, item: Item, office_code: str | None) -> Office:
    """The reporting office of a new record: the one named, or the clerk's only office that owns the item.

    A code that names no office is invalid (RecordError, 400); an office the clerk may not report the item through is
    refused as RecordForbiddenError (403), both on ``office``.
    """
    offices = clerk_offices_for(user, item)
    if not offices:
        raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": item.name})
    if office_code:
        for office in offices:
            if office.code == office_code:
                return office
        # Compared in Python: the body's value may be any JSON (a list, a NUL character) and the offices are few.
        if not any(code == office_code for code in Office.objects.values_list("code", flat=True)):
            raise RecordError({"office": [_("报送处室：没有该处室。")]})
        raise RecordForbiddenError(
            {"office": [_("报送处室：您不能以“%(code)s”的名义报送该事项。") % {"code": office_code}]}
        )
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
    serialise_item_writes(item.pk)
    _check_not_a_duplicate(record, user)
    _check_subject_name(record, data, user)
    _derive(record, user)
    record.full_clean()
    record.save()
    record_changed.send(sender=type(record), record=record)
    _event(record, action=EventAction.CREATE, user=user, to_status=RecordStatus.DRAFT, at=now)
    if submit:
        return record_submit(record=record, user=user)
    return record


@transaction.atomic
def record_update(*, record: Record, user, data: Mapping[str, Any], submit: bool = False) -> Record:
    """Change the entered values of a draft or returned record; fields absent from ``data`` keep their values.

    With ``submit`` the corrected record is submitted (resubmitted) in the same transaction.
    """
    require_role(user, Role.CLERK, office=record.office_id, message=OFFICE_CLERK_ONLY)
    serialise_item_writes(record.item_id)
    record = _locked(record)
    if "version" in data and str(data["version"]) != str(record.version):
        raise RecordVersionConflict(record.version)
    if not record.is_editable:
        if record.status == RecordStatus.APPROVED:
            raise RecordStateError(_("记录已审核通过，不能直接修改；请提出变更申请，变更审核通过前原记录继续有效。"))
        raise RecordStateError(_("记录当前状态为“%(status)s”，不能修改。") % {"status": record.get_status_display()})
    keys = [*record.record_keys(), "business_date"]
    merged = {key: getattr(record, key) for key in keys}
    merged.update({key: value for key, value in data.items() if key in keys})
    if record.BUSINESS_DATE_FIELD and "business_date" not in data:
        merged["business_date"] = None  # follows the natural date field again
    entered = (record.subject_name, record.subject_identity())
    record = _validate(record, merged)
    _check_not_a_duplicate(record, user)
    if (record.subject_name, record.subject_identity()) != entered:
        _check_subject_name(record, data, user)
    _derive(record, user)
    record.version += 1
    record.full_clean()
    record.save()
    record_changed.send(sender=type(record), record=record)
    if submit:
        return record_submit(record=record, user=user)
    return record


def _locked(record: Record) -> Record:
    """The typed record re-read under a row lock, so two concurrent actions see each other's result."""
    model = model_for_item(record.item.no)
    # ``of=("self",)``: PostgreSQL refuses FOR UPDATE on the nullable side of the joins; lock the record's rows only.
    return model.objects.select_for_update(of=("self", "record_ptr")).select_related("item", "office").get(pk=record.pk)


_DECIDED = {RecordStatus.APPROVED, RecordStatus.RETURNED, RecordStatus.REVOKED, RecordStatus.EXPIRED}
_EVENT_OF = {
    RecordStatus.DRAFT: EventAction.WITHDRAW,
    RecordStatus.SUBMITTED: EventAction.SUBMIT,
    RecordStatus.APPROVED: EventAction.APPROVE,
    RecordStatus.RETURNED: EventAction.RETURN,
    RecordStatus.REVOKED: EventAction.REVOKE,
    RecordStatus.EXPIRED: EventAction.EXPIRE,
}


def _stale(record: Record, to: str) -> RecordStateError:
    """The message for an action the record's current state no longer allows (another reviewer, a re-posted form)."""
    status = record.get_status_display()
    if to in {RecordStatus.APPROVED, RecordStatus.RETURNED} and record.status in _DECIDED:
        who = record.decided_by.get_full_name() or record.decided_by.username if record.decided_by_id else ""
        return RecordStateError(
            _("操作未执行：该记录已被审核（当前状态“%(status)s”%(who)s），无需重复处理。")
            % {"status": status, "who": f"，审核人 {who}" if who else ""}
        )
    if to == RecordStatus.SUBMITTED and record.status == RecordStatus.SUBMITTED:
        return RecordStateError(_("操作未执行：该记录已提交，正在等待审核，请勿重复提交。"))
    if to == RecordStatus.DRAFT and record.status in _DECIDED:
        return RecordStateError(
            _("未能撤回：该记录已被审核（当前状态“%(status)s”）。已通过的记录如需修改，请提出变更。")
            % {"status": status}
        )
    return RecordStateError(
        _("操作未执行：记录当前状态为“%(status)s”，可能已被他人处理，请刷新页面。") % {"status": status}
    )


def _transition(
    record: Record, *, user, allowed_from: set[str], to: str, reason: str = "", version: int | str | None = None
) -> Record:
    """Move ``record`` to ``to`` if its current state (read under a row lock) allows it, and log the event.

    ``version``: the version the user saw when deciding (the page's or the API body's ``version``). A record changed
    since, though back in a state that allows the action (withdrawn, edited and submitted again while the reviewer's
    page was open), is refused with ``RecordVersionConflict``: an approval must be of the content the reviewer read,
    which for a red-list item is published at once. ``None``: no check (a scheduled job, an API client that sends none).
    """

    def lock(record: Record) -> Record:
        locked = _locked(record)
        if version is not None and locked.status in allowed_from and str(version).strip() != str(locked.version):
            raise RecordVersionConflict(
                locked.version,
                _("操作未执行：该记录在您打开页面后已被修改（当前为第 %(v)s 版），请查看最新内容后再决定。")
                % {"v": locked.version},
            )
        return locked

    def bookkeeping(locked: Record, now: datetime.datetime) -> dict[str, Any]:
        values = {"updated_by": user, "updated_at": now, "version": locked.version + 1}
        if to == RecordStatus.SUBMITTED:
            values["submitted_at"] = now
        elif to == RecordStatus.DRAFT:
            # Withdrawn (撤回提交): no longer submitted, so not counted as reported (semiannual periods, reminders).
            values["submitted_at"] = None
        return values

    return transition(
        record,
        allowed_from=allowed_from,
        to=to,
        user=user,
        reason=reason,
        decides=to in {RecordStatus.APPROVED, RecordStatus.RETURNED, RecordStatus.REVOKED},
        values=bookkeeping,
        lock=lock,
        stale=lambda locked: _stale(locked, to),
        event=lambda locked, before, now: _changed(
            locked, action=_EVENT_OF[to], user=user, from_status=before, to_status=to, reason=reason, at=now
        ),
    )


def _changed(record: Record, **event) -> None:
    """After a transition's save: announce the change (inside the transaction), then log the event."""
    record_changed.send(sender=type(record), record=record)
    _event(record, **event)


@transaction.atomic
def record_submit(*, record: Record, user, version: int | str | None = None) -> Record:
    """草稿 / 已退回 → 待审核 (``version``: see ``_transition``)."""
    require_role(user, Role.CLERK, office=record.office_id, message=OFFICE_CLERK_ONLY)
    return _transition(
        record,
        user=user,
        allowed_from={RecordStatus.DRAFT, RecordStatus.RETURNED},
        to=RecordStatus.SUBMITTED,
        version=version,
    )


@transaction.atomic
def record_withdraw(*, record: Record, user, reason: str = "", version: int | str | None = None) -> Record:
    """待审核 → 草稿: the office's clerk takes back a submission the General Office has not decided yet (e.g. to correct
    it); it is edited and submitted again. The row lock makes this and a reviewer's decision exclusive: whichever comes
    second is told what happened. Timeliness counts the later submission, as for a returned record. ``reason`` (optional)
    is kept on the withdrawal's event, e.g. the reason of a bulk correction."""
    require_role(user, Role.CLERK, office=record.office_id, message=OFFICE_CLERK_ONLY)
    return _transition(
        record,
        user=user,
        allowed_from={RecordStatus.SUBMITTED},
        to=RecordStatus.DRAFT,
        reason=(reason or "").strip(),
        version=version,
    )


@transaction.atomic
def record_approve(*, record: Record, user, override_reason: str = "", version: int | str | None = None) -> Record:
    """待审核 → 已通过 (reviewer). ``credit.signals.record_approved`` follows once the approval has committed.

    ``version``: the version the reviewer read; a record changed since is not approved (``_transition``).

    The approval guards (``credit.guards``, e.g. the credit check before an award) run on the approved record inside
    this transaction; a guard's refusal (a RecordError) rolls the approval back. ``override_reason`` is the reviewer's
    reasoned override of a guard that allows one.
    """
    require_role(user, Role.REVIEWER)
    record = _transition(
        record, user=user, allowed_from={RecordStatus.SUBMITTED}, to=RecordStatus.APPROVED, version=version
    )
    run_approval_guards(record=record, user=user, override_reason=(override_reason or "").strip())
    transaction.on_commit(lambda: record_approved.send(sender=type(record), record=record, user=user))
    return record


@transaction.atomic
def record_return(*, record: Record, user, reason: str, version: int | str | None = None) -> Record:
    """待审核 → 已退回 with the reviewer's reason (required); ``version`` as for ``record_approve``."""
    require_role(user, Role.REVIEWER)
    if not (reason or "").strip():
        raise RecordError({"reason": [_("退回理由：请填写退回理由。")]})
    return _transition(
        record,
        user=user,
        allowed_from={RecordStatus.SUBMITTED},
        to=RecordStatus.RETURNED,
        reason=reason.strip(),
        version=version,
    )


@transaction.atomic
def record_revoke(*, record: Record, user, reason: str, version: int | str | None = None) -> Record:
    """已通过 → 已撤销: the decision was annulled (reviewer; reason required). A pending change is withdrawn."""
    require_role(user, Role.REVIEWER)
    if not (reason or "").strip():
        raise RecordError({"reason": [_("撤销理由：请填写撤销理由。")]})
    record = _transition(
        record,
        user=user,
        allowed_from={RecordStatus.APPROVED},
        to=RecordStatus.REVOKED,
        reason=reason.strip(),
        version=version,
    )
    for change in RecordChange.objects.select_for_update().filter(record_id=record.pk, status=ChangeStatus.PENDING):
        change.status, change.decided_by, change.decided_at = ChangeStatus.WITHDRAWN, user, timezone.now()
        change.decision_reason = _("记录已撤销，变更申请自动撤回。")
        change.save()
        _event(record, action=EventAction.CHANGE_WITHDRAW, user=user, reason=change.decision_reason, change=change)
    return record


# --- Changes to approved records (变更): reviewed again while the approved version stays in force -----------------


def _as_json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@transaction.atomic
def record_change_propose(*, record: Record, user, data: Mapping[str, Any], note: str = "") -> RecordChange:
    """Propose new values for an approved record (clerk of its office). The record itself does not change yet."""
    require_role(user, Role.CLERK, office=record.office_id, message=OFFICE_CLERK_ONLY)
    record = _locked(record)
    if record.status != RecordStatus.APPROVED:
        raise RecordStateError(
            _("只有已通过的记录可以提出变更；记录当前状态为“%(status)s”。") % {"status": record.get_status_display()}
        )
    if RecordChange.objects.filter(record_id=record.pk, status=ChangeStatus.PENDING).exists():
        raise RecordStateError(_("该记录已有一项变更正在审核，请等待审核结果后再提出新的变更。"))
    keys = [*record.record_keys(), "business_date"]
    current = {key: _as_json(getattr(record, key)) for key in keys}
    merged = dict(current)
    merged.update({key: value for key, value in data.items() if key in keys})
    if record.BUSINESS_DATE_FIELD and "business_date" not in data:
        merged["business_date"] = None
    # Validate on a detached copy: the approved version stays untouched until the change is approved.
    copy = model_for_item(record.item.no).objects.select_related("item").get(pk=record.pk)
    form = form_for_item(record.ITEM_NO)(data=merged, instance=copy)
    if not form.is_valid():
        raise RecordError(form_errors(form))
    _check_not_a_duplicate(form.instance, user)  # changed into another record's decision
    proposed = {key: _as_json(form.cleaned_data.get(key)) for key in keys}
    if proposed == current:
        raise RecordError(_("变更内容与已通过的记录相同，无需提交变更。"))
    change = RecordChange.objects.create(
        record_id=record.pk, values=proposed, base_version=record.version, note=(note or "").strip(), created_by=user
    )
    _event(record, action=EventAction.CHANGE_PROPOSE, user=user, reason=change.note, change=change)
    return change


def _locked_change(change: RecordChange) -> tuple[Record, RecordChange]:
    record = _locked(Record.objects.select_related("item").get(pk=change.record_id))
    return record, RecordChange.objects.select_for_update().get(pk=change.pk)


def _stale_change(change: RecordChange) -> RecordStateError:
    return RecordStateError(
        _("操作未执行：该变更申请已处理（当前状态“%(status)s”），无需重复处理。")
        % {"status": change.get_status_display()}
    )


@transaction.atomic
def record_change_approve(*, change: RecordChange, user) -> Record:
    """Approve a pending change: its values replace the approved record's (validated again), which stays 已通过."""
    require_role(user, Role.REVIEWER)
    serialise_item_writes(Record.objects.values_list("item_id", flat=True).get(pk=change.record_id))
    record, change = _locked_change(change)
    if change.status != ChangeStatus.PENDING:
        raise _stale_change(change)
    if record.status != RecordStatus.APPROVED:
        raise RecordStateError(
            _("操作未执行：记录当前状态为“%(status)s”，变更不能生效。") % {"status": record.get_status_display()}
        )
    record = _validate(record, change.values)
    # Checked again as the change takes effect, in the scope of the clerk who proposed it (the record's office), under
    # the item's lock (taken above): a record of the same decision may have been entered since the change was proposed.
    _check_not_a_duplicate(record, change.created_by)
    _derive(record, user)
    now = timezone.now()
    record.version += 1
    record.decided_at, record.decided_by = now, user
    record._change_reason = f"change:{change.pk}"
    record.full_clean()
    record.save()
    record_changed.send(sender=type(record), record=record)
    change.status, change.decided_by, change.decided_at = ChangeStatus.APPROVED, user, now
    change.save()
    _event(
        record,
        action=EventAction.CHANGE_APPROVE,
        user=user,
        from_status=RecordStatus.APPROVED,
        to_status=RecordStatus.APPROVED,
        change=change,
        at=now,
    )
    return record


@transaction.atomic
def record_change_return(*, change: RecordChange, user, reason: str) -> RecordChange:
    """Return a pending change with a reason; the approved record is left exactly as it was."""
    require_role(user, Role.REVIEWER)
    if not (reason or "").strip():
        raise RecordError({"reason": [_("退回理由：请填写退回理由。")]})
    record, change = _locked_change(change)
    if change.status != ChangeStatus.PENDING:
        raise _stale_change(change)
    change.status, change.decided_by, change.decided_at = ChangeStatus.RETURNED, user, timezone.now()
    change.decision_reason = reason.strip()
    change.save()
    _event(record, action=EventAction.CHANGE_RETURN, user=user, reason=change.decision_reason, change=change)
    return change


@transaction.atomic
def record_change_withdraw(*, change: RecordChange, user, reason: str = "") -> RecordChange:
    """The clerk of the record's office withdraws (撤回) their office's pending change before a reviewer decides it;
    the approved record is left exactly as it was and the change leaves the review queue."""
    require_role(
        user,
        Role.CLERK,
        office=Record.objects.only("office_id").get(pk=change.record_id).office_id,
        message=OFFICE_CLERK_ONLY,
    )
    record, change = _locked_change(change)
    if change.status != ChangeStatus.PENDING:
        raise _stale_change(change)
    now = timezone.now()
    change.status, change.decided_by, change.decided_at = ChangeStatus.WITHDRAWN, user, now
    change.decision_reason = (reason or "").strip() or _("填报处室撤回了变更申请。")
    change.save()
    _event(record, action=EventAction.CHANGE_WITHDRAW, user=user, reason=change.decision_reason, change=change, at=now)
    # The record itself is not saved, so no history row audits this: log it here (field names only, no values).
    audit_log(
        request=getattr(HistoricalRecords.context, "request", None),  # source address when inside a request
        user=user,
        action="transition",
        obj=change,
        detail={"from": ChangeStatus.PENDING, "to": ChangeStatus.WITHDRAWN, "record": record.pk},
    )
    return change


def records_decide(
    *, records, user, approve: bool, reason: str = "", versions: Mapping[int, Any] | None = None
) -> tuple[list[Record], dict[int, str]]:
    """Approve or return several submitted records, each in its own transaction (bulk review); ``versions``: the
    version of each record id that the reviewer's list showed (``_transition``).

    Returns the records decided and, per record id, the message of those that could not be (already decided, …).
    """
    if not approve and not (reason or "").strip():
        raise RecordError({"reason": [_("退回理由：请填写退回理由。")]})
    done: list[Record] = []
    failed: dict[int, str] = {}
    for record in records:
        try:
            version = (versions or {}).get(record.pk)
            if approve:
                done.append(record_approve(record=record, user=user, version=version))
            else:
                done.append(record_return(record=record, user=user, reason=reason, version=version))
        except RecordError as exc:
            after_refusal(exc, user=user)
            failed[record.pk] = str(exc)
    return done, failed


@transaction.atomic
def records_expire(*, today: datetime.date | None = None) -> int:
    """已通过 → 已过期 for records past their validity end (no longer exported or published; kept for audit)."""
    today = today or timezone.localdate()
    expired = 0
    for record in Record.objects.filter(status=RecordStatus.APPROVED, validity_end__lt=today).select_related("item"):
        try:
            transition(
                record,
                allowed_from={RecordStatus.APPROVED},
                to=RecordStatus.EXPIRED,
                user=None,
                decides=False,
                values=lambda locked, now: {"updated_at": now, "version": locked.version + 1},
                lock=_locked,
                change_reason="expired",
                event=lambda locked, before, now: _changed(
                    locked,
                    action=EventAction.EXPIRE,
                    user=None,
                    from_status=before,
                    to_status=locked.status,
                    reason=_("有效期已届满（%(end)s）。") % {"end": locked.validity_end.isoformat()},
                    at=now,
                ),
            )
        except StateError:  # changed since the query (revoked meanwhile): nothing to expire
            continue
        expired += 1
    return expired
