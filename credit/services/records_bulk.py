"""Creating many records at once: what ``record_create`` does for one record, done set-wise for thousands.

The same derivations (due date, validity end, subject, who and when), the same rows (base and typed record, one
simple-history row per saved state, ``RecordEvent``s), written with multi-row INSERTs instead of a ``save()`` per
record (``core.django_internals``); 10,000 records go in about ten times faster than one by one. Because the
INSERTs send no model signals, ``records_create_bulk`` refuses to run while a save receiver it does not know is
connected (``BULK_SAFE_RECEIVERS``). ``tests/credit/test_services_records_bulk.py`` checks that both paths write
identical rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, models, transaction
from django.db.models import signals
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from core.chunks import in_chunks
from core.django_internals import insert_child_instances, insert_rows, receiver_name, receiver_names
from core.errors import DomainError
from credit import crypto
from credit.fields import EncryptedCharField
from credit.models import Item, Office, Record, RecordStatus, Subject
from credit.models.lifecycle import EventAction, RecordEvent
from credit.registry import model_for_item
from credit.services.calendar import item_due_date
from credit.services.records import clerk_offices_for, record_submit, validity_end_for
from credit.signals import record_changed, records_created

# Receivers of the signals that ``record_create`` sends and the bulk INSERTs do not, known to be safe to skip,
# with the reason. Any other receiver makes records_create_bulk refuse: its effect would silently be missing. A
# receiver of ``credit.signals.record_changed`` in an app above credit declares itself safe instead, with the reason
# as its ``safe_for_new_records`` attribute (credit names nothing above it).
BULK_SAFE_RECEIVERS: dict[str, str] = {
    "simple_history.models.HistoricalRecords.post_save": (
        "writes the history row of a save, which records_create_bulk inserts itself (_insert_history)"
    ),
    "audit.signals._on_history": (
        "one audit entry per history row; a bulk creation is audited once, as a whole, by its caller (the import)"
    ),
}
_SAVE_SIGNALS = {"pre_save": signals.pre_save, "post_save": signals.post_save}
_HISTORY_SIGNALS = {
    "pre_create_historical_record": pre_create_historical_record,
    "post_create_historical_record": post_create_historical_record,
}
_ENCRYPTED = "encrypted"  # the cache of every encrypted column (AES-SIV is keyed per deployment, not per field)


class PreparedValues(dict):
    """Database values prepared once per bulk creation, shared by its INSERTs and the caller's look-ups: an ID number
    is encrypted once for the caller's duplicate check, its record, its history row and its subject."""

    def encrypted(self, value: str) -> str:
        """The stored (encrypted) form of a personal identifier."""
        cache = self.setdefault(_ENCRYPTED, {})
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = crypto.encrypt(value)
            return result

    @staticmethod
    def cache_key(field: models.Field) -> Any:
        return _ENCRYPTED if isinstance(field, EncryptedCharField) else field


def unsafe_receivers(model: type[Record]) -> list[str]:
    """The receivers that a bulk creation of ``model`` would skip and that are not known to be safe to skip."""
    history_model = model.history.model
    found = []
    for sender in (model, Record, history_model, RecordEvent, Subject):
        for signal_name, signal in _SAVE_SIGNALS.items():
            found += [f"{signal_name}({sender.__name__}): {name}" for name in receiver_names(signal, sender)]
    for signal_name, signal in _HISTORY_SIGNALS.items():
        found += [f"{signal_name}({history_model.__name__}): {name}" for name in receiver_names(signal, history_model)]
    sync_receivers, async_receivers = record_changed._live_receivers(model)
    found += [
        f"record_changed({model.__name__}): {receiver_name(r)}"
        for r in [*sync_receivers, *async_receivers]
        if not getattr(r, "safe_for_new_records", "")
    ]
    return [entry for entry in found if entry.split(": ", 1)[1] not in BULK_SAFE_RECEIVERS]


@transaction.atomic
def records_create_bulk(
    *,
    item: Item,
    office: Office,
    user,
    records: Sequence[Record],
    submit: bool = False,
    change_reason: str | None = None,
    prepared: PreparedValues | None = None,
) -> list[Record]:
    """Create ``records`` as ``record_create`` creates each one (a draft, or submitted with ``submit``), set-wise.

    ``records`` are new, unsaved instances of ``item``'s model for ``office`` created by ``user`` (as
    ``record_create`` makes them) that the item's form has accepted: this does not validate them again. Their due
    date, validity end, subject, who and when are derived here; the base and typed rows, one history row per saved
    state (``change_reason`` on the creation's row) and the lifecycle events are inserted in one transaction. No
    model signals are sent, so this refuses (ImproperlyConfigured) while an unknown save receiver is connected; the
    per-record audit entries that the history rows would log are left to the caller, which audits the whole set.
    """
    model = model_for_item(item.no)
    unsafe = unsafe_receivers(model)
    if unsafe:
        raise ImproperlyConfigured(
            "records_create_bulk sends no model signals; these receivers would be skipped (add them to "
            f"BULK_SAFE_RECEIVERS with the reason it is safe, or create the records one by one): {unsafe}"
        )
    if office not in clerk_offices_for(user, item):
        raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": item.name})
    records = list(records)
    if not records:
        return []
    if any(type(r) is not model or r.item_id != item.pk or r.office_id != office.pk or r.pk for r in records):
        raise ValueError(f"records_create_bulk takes new {model.__name__} instances of {item} for {office}")
    prepared = PreparedValues() if prepared is None else prepared
    now = timezone.now()
    _derive(records, item=item, user=user, now=now)
    _link_subjects(records, now=now, prepared=prepared)
    draft_states = [(r.status, r.version, r.submitted_at) for r in records]
    if submit:
        for record in records:
            record.status, record.submitted_at, record.version = RecordStatus.SUBMITTED, now, record.version + 1
    insert_child_instances(records, memo=prepared, cache_key=PreparedValues.cache_key)
    _insert_history(
        records, model=model, user=user, now=now, prepared=prepared, reason=change_reason, states=draft_states
    )
    if submit:
        # record_submit's row (``_transition``): the submitted state, and its change reason "<to>:<reason>".
        _insert_history(
            records, model=model, user=user, now=now, prepared=prepared, reason=f"{RecordStatus.SUBMITTED}:"
        )
    _insert_events(records, user=user, now=now, submit=submit, prepared=prepared)
    created = list(records)
    transaction.on_commit(lambda: records_created.send(sender=model, records=created, user=user))
    return records


def _derive(records: Sequence[Record], *, item: Item, user, now: datetime.datetime) -> None:
    """``record_create``'s derivations (``_derive``): due date, validity end, who and when (subjects apart)."""
    due_cache: dict[datetime.date, Any] = {}
    validity_years = item.validity_years or settings.RECORD_VALIDITY_YEARS
    for record in records:
        bd = record.business_date
        result = due_cache.get(bd)
        if result is None:
            result = due_cache[bd] = item_due_date(item, bd)
        record.due_date, record.due_date_provisional = result.due, result.provisional
        record.validity_end = validity_end_for(bd, validity_years)
        record.updated_by, record.updated_at = user, now


def _link_subjects(records: Sequence[Record], *, now: datetime.datetime, prepared: PreparedValues) -> None:
    """Get or create the records' subjects; names follow the latest record, as ``record_create`` does."""
    identities: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, identifier) → (identifier kind, name)
    per_record = []
    for record in records:
        identity = record.subject_identity()
        per_record.append(identity)
        if identity:
            kind, identifier, identifier_kind = identity
            identities[(kind, identifier)] = (identifier_kind, record.subject_name or identifier)
    subjects = _subjects(identities, now=now, prepared=prepared)
    for record, identity in zip(records, per_record, strict=True):
        if identity:
            record.subject_id = subjects[(identity[0], identity[1])]


def known_subjects(
    keys: Iterable[tuple[str, str]], *, prepared: PreparedValues | None = None
) -> dict[tuple[str, str], tuple[int, str]]:
    """The stored subjects among ``keys`` (kind, identifier): (id, registered name) by key, 1000 identifiers a query."""
    prepared = PreparedValues() if prepared is None else prepared
    by_kind: dict[str, list[str]] = {}
    for kind, identifier in keys:
        by_kind.setdefault(kind, []).append(prepared.encrypted(identifier))
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for kind, ciphers in by_kind.items():
        for chunk in in_chunks(ciphers):
            for pk, identifier, name in Subject.objects.filter(kind=kind, identifier__in=chunk).values_list(
                "pk", "identifier", "name"
            ):
                found[(kind, identifier)] = (pk, name)
    return found


def _subjects(
    identities: dict[tuple[str, str], tuple[str, str]], *, now: datetime.datetime, prepared: PreparedValues
) -> dict[tuple[str, str], int]:
    """The subjects' ids by (kind, identifier), created where missing (named as first entered)."""
    found: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}

    def fetch(keys: list[tuple[str, str]]) -> None:
        by_kind: dict[str, list[str]] = {}
        for kind, identifier in keys:
            by_kind.setdefault(kind, []).append(prepared.encrypted(identifier))
        for kind, ciphers in by_kind.items():
            for chunk in in_chunks(ciphers):
                rows = Subject.objects.filter(kind=kind, identifier__in=chunk).values_list("pk", "identifier", "name")
                for pk, identifier, name in rows:
                    found[(kind, identifier)] = pk
                    names[(kind, identifier)] = name

    fetch(list(identities))
    missing = [key for key in identities if key not in found]
    if missing:
        fields = [Subject._meta.get_field(n) for n in ("kind", "identifier", "identifier_kind", "name")]
        fields += [Subject._meta.get_field("created_at"), Subject._meta.get_field("updated_at")]
        rows = [[kind, ident, *identities[(kind, ident)], now, now] for kind, ident in missing]
        # A subject created meanwhile by someone else is skipped (unique kind + identifier) and fetched after.
        inserted = insert_rows(
            Subject,
            fields,
            rows,
            memo=prepared,
            cache_key=PreparedValues.cache_key,
            ignore_conflicts=True,
            returning=connection.features.can_return_rows_from_bulk_insert,
            returning_fields=[Subject._meta.pk, fields[0], fields[1]],
        )
        plain = {cipher: value for value, cipher in prepared.get(_ENCRYPTED, {}).items()}
        for pk, kind, cipher in inserted:
            key = (kind, plain.get(cipher, cipher))
            found[key], names[key] = pk, identities[key][1]
        fetch([key for key in missing if key not in found])
    # An imported row keeps the name as entered on its record; it never renames the subject (other offices' records).
    return found


def _insert_history(
    records: Sequence[Record],
    *,
    model: type[Record],
    user,
    now: datetime.datetime,
    prepared: PreparedValues,
    reason: str | None,
    states: Sequence[tuple[str, int, datetime.datetime | None]] | None = None,
) -> None:
    """One simple-history row per record, as simple-history's post_save receiver writes it: "+" (created) with
    ``states`` (status, version, submitted_at) in place of the records' current ones, else "~" (changed)."""
    history_model = model.history.model
    fields = [f for f in history_model._meta.concrete_fields if not f.primary_key]
    constants = {
        "history_date": now,
        "history_user_id": user.pk if user is not None else None,
        "history_change_reason": reason,
        "history_type": "+" if states is not None else "~",
    }
    tracked = {f.attname for f in history_model.tracked_fields}
    unknown = [f.attname for f in fields if f.attname not in constants and f.attname not in tracked]
    if unknown:  # a history model with extra columns: let simple-history's own model fill them
        raise ImproperlyConfigured(f"history columns records_create_bulk does not fill: {unknown}")
    attnames = [f.attname for f in fields]
    state_index = {name: attnames.index(name) for name in ("status", "version", "submitted_at")}
    rows = []
    for i, record in enumerate(records):
        row = [constants[a] if a in constants else getattr(record, a) for a in attnames]
        if states is not None:
            for name, value in zip(("status", "version", "submitted_at"), states[i], strict=True):
                row[state_index[name]] = value
        rows.append(row)
    insert_rows(history_model, fields, rows, memo=prepared, cache_key=PreparedValues.cache_key)


def _insert_events(
    records: Sequence[Record], *, user, now: datetime.datetime, submit: bool, prepared: PreparedValues
) -> None:
    """The lifecycle events of ``record_create`` (created as a draft) and of ``record_submit`` (submitted)."""
    names = ("record", "action", "from_status", "to_status", "user", "at", "reason", "change")
    fields = [RecordEvent._meta.get_field(n) for n in names]
    user_id = user.pk if getattr(user, "pk", None) else None
    events = [[r.pk, EventAction.CREATE, "", RecordStatus.DRAFT, user_id, now, "", None] for r in records]
    if submit:
        events += [
            [r.pk, EventAction.SUBMIT, RecordStatus.DRAFT, RecordStatus.SUBMITTED, user_id, now, "", None]
            for r in records
        ]
    insert_rows(RecordEvent, fields, events, memo=prepared, cache_key=PreparedValues.cache_key)


def records_submit_bulk(*, records: Iterable[Record], user) -> tuple[list[Record], list[tuple[Record, str]]]:
    """Submit many drafts at once (an import's drafts): each through ``record_submit``, with its role, office and
    state checks, its history row and event, in its own savepoint. Returns (submitted, refused with the reason): a
    record submitted or decided meanwhile, or outside the user's office, is refused alone and the others go on.

    One by one and not set-wise like ``records_create_bulk``: a submission is a state change with a row lock, and an
    import holds at most a few thousand rows, which a clerk submits once.
    """
    submitted, refused = [], []
    for record in records:
        try:
            with transaction.atomic():
                submitted.append(record_submit(record=record, user=user))
        except (DomainError, PermissionDenied) as exc:
            refused.append((record, "；".join(getattr(exc, "messages", None) or [str(exc)])))
    return submitted, refused
