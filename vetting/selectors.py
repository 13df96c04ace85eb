"""What a credit check finds: the live dishonesty of subjects, by identifier (credit code or ID number), in a fixed
number of set-based queries whatever the number of subjects (a 5,000-row batch check is a handful of queries).

Subjects are matched by their identifier, never by name: credit's subjects and the external lists store it encrypted
deterministically (``credit.crypto``), so an exact ``IN`` look-up finds them without decrypting anything.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.chunks import in_chunks
from credit.catalog import ItemSpec
from credit.models import Record, RecordStatus, Subject
from credit.services.records import validity_end_for
from publicity.selectors import BLACK_LIST, PENALTIES, public_entries, public_entries_to_count
from vetting.models import BatchCheck, CheckRule, CreditCheck, ExternalListEntry, RuleSource

# Identifiers per IN clause: below every backend's bound-parameter limit (SQLite's is 32,766; older builds 999).
_CHUNK = 900


@dataclass(frozen=True)
class Hit:
    """One piece of live dishonesty found: where (``source``, ``label``), what (``reference``), since and until when.
    Never an identifier: what a check stores and shows is safe for staff pages and the audit log."""

    source: str
    label: str
    reference: str
    date: str = ""
    until: str = ""
    record_id: int | None = None
    entry_id: int | None = None

    def as_json(self) -> dict:
        return asdict(self)


def rules(*, enabled_only: bool = True) -> QuerySet:
    qs = CheckRule.objects.select_related("item")
    return qs.filter(enabled=True) if enabled_only else qs


def _since(today: datetime.date, years: int) -> datetime.date | None:
    return validity_end_for(today, -years) if years else None


def _iso(value) -> str:
    return value.isoformat() if value else ""


def hits_for(identifiers: Iterable[str], *, today: datetime.date | None = None) -> dict[str, list[Hit]]:
    """identifier → the live dishonesty found for it under the enabled rules (identifiers without any are absent)."""
    today = today or timezone.localdate()
    wanted = sorted({i for i in identifiers if i})
    found: dict[str, list[Hit]] = defaultdict(list)
    if not wanted:
        return {}
    active = list(rules())
    subject_ids: dict[int, str] = {}
    for chunk in in_chunks(wanted, _CHUNK):
        subject_ids.update(Subject.objects.filter(identifier__in=chunk).values_list("pk", "identifier"))
    record_rules = [r for r in active if r.source == RuleSource.RECORDS and r.item_id]
    if subject_ids and record_rules:
        _record_hits(found, subject_ids, record_rules, today)
    if subject_ids and any(r.source == RuleSource.BLACK_LIST for r in active):
        entries = (
            public_entries(BLACK_LIST, today=today)
            .filter(subject_id__in=list(subject_ids))
            .values("pk", "subject_id", "document_number", "listed_on", "end_date")
        )
        for e in entries:
            found[subject_ids[e["subject_id"]]].append(
                Hit(
                    source=RuleSource.BLACK_LIST,
                    label=_("黑名单"),
                    reference=e["document_number"],
                    date=_iso(e["listed_on"]),
                    until=_iso(e["end_date"]),
                    entry_id=e["pk"],
                )
            )
    external = [r for r in active if r.source == RuleSource.EXTERNAL]
    if external:
        _external_hits(found, wanted, external, today)
    return dict(found)


def _record_hits(found, subject_ids: dict[int, str], record_rules: list[CheckRule], today) -> None:
    """The subjects' records in force that a rule names (its item, within its look-back, and public today where the
    rule asks for it), in two look-ups keyed by the subjects' records, the rules applied here.

    With the rules' items in the query PostgreSQL combined the subject index with the item index and read every
    approved record of those items (200,000 at a million records, 12 ms for a page of the review queue, growing with
    history); the subjects' own records are a few per subject at any size."""
    rules_by_item: dict[int, list[tuple[CheckRule, datetime.date | None]]] = defaultdict(list)
    for rule in record_rules:  # each with the earliest business date it counts (None: any)
        rules_by_item[rule.item_id].append((rule, _since(today, rule.lookback_years)))
    rows = []
    for chunk in in_chunks(list(subject_ids), _CHUNK):
        rows += Record.objects.filter(
            subject_id__in=chunk, status=RecordStatus.APPROVED, validity_end__gte=today
        ).values_list("pk", "subject_id", "item_id", "business_date", "validity_end")
    rows = [row for row in rows if row[2] in rules_by_item]
    public_until: dict[int, datetime.date] = {}
    for chunk in in_chunks([row[0] for row in rows], _CHUNK):
        public_until.update(
            public_entries_to_count(PENALTIES, today=today)
            .filter(record_id__in=chunk)
            .values_list("record_id", "valid_until")
        )
    for pk, subject_id, item_id, business_date, validity_end in sorted(rows, key=lambda row: (row[3], row[0])):
        public = pk in public_until
        rule = next(
            (
                r
                for r, since in rules_by_item[item_id]
                if (since is None or business_date >= since) and (public or not r.within_publicity)
            ),
            None,
        )
        if rule is None:
            continue
        found[subject_ids[subject_id]].append(
            Hit(
                source=RuleSource.RECORDS,
                label=rule.item.name,
                reference=_("记录 #%(id)s") % {"id": pk},
                date=_iso(business_date),
                until=_iso(public_until.get(pk) or validity_end),
                record_id=pk,
            )
        )


def _external_hits(found, wanted: list[str], external: list[CheckRule], today) -> None:
    every_list = any(not r.list_name for r in external)
    names = {r.list_name for r in external if r.list_name}
    lookback = {r.list_name: r.lookback_years for r in external}
    base = ExternalListEntry.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), Q(listed_on__isnull=True) | Q(listed_on__lte=today)
    )
    if not every_list:
        base = base.filter(dishonesty_list__name__in=names)
    for chunk in in_chunks(wanted, _CHUNK):
        rows = base.filter(identifier__in=chunk).values(
            "pk", "identifier", "dishonesty_list__name", "basis", "listed_on", "ends_on"
        )
        for e in rows:
            name = e["dishonesty_list__name"]
            since = _since(today, lookback.get(name, lookback.get("", 0)))
            if since and e["listed_on"] and e["listed_on"] < since:
                continue
            found[e["identifier"]].append(
                Hit(
                    source=RuleSource.EXTERNAL,
                    label=name,
                    reference=(e["basis"] or "")[:200],
                    date=_iso(e["listed_on"]),
                    until=_iso(e["ends_on"]),
                    entry_id=e["pk"],
                )
            )


def is_recognition(record: Record) -> bool:
    """Whether ``record`` is an award or recognition, which the credit check guards (from the catalogue)."""
    return ItemSpec.get(record.item.no).is_recognition


def record_hits(record: Record, *, today: datetime.date | None = None) -> list[Hit]:
    """The live dishonesty of ``record``'s subject."""
    if record.subject_id is None:
        return []
    identifier = Subject.objects.filter(pk=record.subject_id).values_list("identifier", flat=True).first()
    return hits_for([identifier], today=today).get(identifier, []) if identifier else []


def record_checks(record: Record) -> QuerySet:
    return CreditCheck.objects.filter(record_id=record.pk).select_related("checked_by")


def batch_checks_for(user) -> QuerySet:
    """The batch checks ``user`` may see (reviewers all, clerks their offices'), newest first."""
    return BatchCheck.objects.restrict(user).select_related("office", "created_by")


def records_openable_by(user, record_ids: Iterable[int]) -> set[int]:
    """Which of ``record_ids`` ``user`` may open (credit's office scope: a clerk's offices, every office for a
    reviewer); a batch check reports other offices' hits too, but links only to these."""
    wanted = sorted({pk for pk in record_ids if pk})
    openable: set[int] = set()
    for chunk in in_chunks(wanted, _CHUNK):
        openable.update(Record.objects.restrict(user).filter(pk__in=chunk).values_list("pk", flat=True))
    return openable
