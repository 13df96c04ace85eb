"""What the public may see. Every public page, feed, search and open-data endpoint reads through ``public_entries``:
the publication rules live here and nowhere else, and they are in the queries themselves, so an entry past its end,
revoked, expired or withdrawn is never returned even before the scheduled job has marked it.

- 行政处罚 (items 2, 8): record approved, published by a reviewer, not withdrawn, today ≤ publicity end.
- 红名单 (items 6, 7): record approved, on the column, not withdrawn, today ≤ its validity end.
- 行政许可: decision approved (not revoked), published, not withdrawn.
- 黑名单: listed by a reviewer (not removed), listed_on ≤ today ≤ end_date, and at least one of the 失信 records it
  rests on still in force (approved, within its validity): once all are revoked or expired the entry leaves at once.
- Items 1, 3, 4, 5 are never public: no publication of them can exist (``PUBLIC_ITEMS``) and none is selected.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Exists, Expression, Func, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from credit.catalog import PENALTY, ItemSpec
from credit.models import Record, RecordStatus, SubjectKind
from credit.registry import model_for_item
from credit.services.calendar import WorkingCalendar, working_days_between
from publicity.models import (
    BlackListEntry,
    BlackListStatus,
    CorrectionKind,
    CorrectionNotice,
    LicenceDecision,
    LicenceStatus,
    NewsItem,
    Objection,
    PolicyDocument,
    Publication,
    PublicationKind,
    RepairApplication,
    RequestStatus,
)
from publicity.models.base import SEARCH_SEPARATOR, search_fold
from publicity.services.publications import PENALTY_ITEMS, PUBLIC_ITEMS, RED_LIST_ITEMS

LICENCES, PENALTIES, RED_LIST, BLACK_LIST = "licences", "penalties", "red-list", "black-list"
SECTIONS = (LICENCES, PENALTIES, RED_LIST, BLACK_LIST)
MIN_TERM = 2
# Longer than any name, credit code or document number: a longer "term" is pasted text. Cut, it stays a cheap query
# (SQLite refuses LIKE patterns over 50,000 bytes, PostgreSQL does a long trigram scan).
MAX_TERM = 100


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def withheld_records(prefix: str = "") -> Q:
    """Records the catalogue keeps off the column whatever their status (``not_published``: a 处分 of item 8 is not a
    行政处罚), as a condition on ``<prefix>`` records (e.g. ``prefix="record__"`` from a publication)."""
    condition = Q(pk__in=[])
    for item in ItemSpec.items_with(publicity=PENALTY):
        if not item.not_published:
            continue
        child = model_for_item(item.no)._meta.model_name
        look_ups = {f"{prefix}{child}__{key}": value for key, value in item.withheld_filter().items()}
        condition |= Q(**look_ups)
    return condition


def _under_objection(qs: QuerySet, field: str) -> QuerySet:
    """Annotate ``under_objection``: an objection on the entry is being handled (shown publicly as 异议处理中)."""
    pending = Objection.objects.filter(status=RequestStatus.RECEIVED, **{field: OuterRef("pk")})
    return qs.annotate(under_objection=Exists(pending))


def public_entries(section: str, *, today: datetime.date | None = None) -> QuerySet:
    """The entries of ``section`` the public may see today, newest first (keyset on ``id``), each with
    ``under_objection``."""
    return _public_entries_of_day(section, _today(today)).all()


@functools.lru_cache(maxsize=64)
def _public_entries_of_day(section: str, today: datetime.date) -> QuerySet:
    """``public_entries`` as built once per section and day, never evaluated: every caller gets a clone (``.all()``),
    as Django's generic views clone their ``queryset``. Building the rules (joins, the withheld items of the catalogue,
    two ``EXISTS``) cost about as much as running the query; a clone costs a tenth of that."""
    return _under_objection(_public_entries(section, today=today), _OBJECTION_FIELD[section])


def _public_entries(section: str, *, today: datetime.date | None = None) -> QuerySet:
    today = _today(today)
    if section == PENALTIES:
        return (
            Publication.objects.filter(
                kind=PublicationKind.PENALTY,
                item_no__in=PENALTY_ITEMS,
                published_at__isnull=False,
                withdrawn_at__isnull=True,
                valid_until__gte=today,
                record__status=RecordStatus.APPROVED,
            )
            .exclude(withheld_records("record__"))
            .order_by("-id")
        )
    if section == RED_LIST:
        return Publication.objects.filter(
            kind=PublicationKind.RED_LIST,
            item_no__in=RED_LIST_ITEMS,
            published_at__isnull=False,
            withdrawn_at__isnull=True,
            valid_until__gte=today,
            record__status=RecordStatus.APPROVED,
            record__validity_end__gte=today,
        ).order_by("-id")
    if section == LICENCES:
        return LicenceDecision.objects.filter(
            status=LicenceStatus.APPROVED, published_at__isnull=False, withdrawn_at__isnull=True
        ).order_by("-id")
    if section == BLACK_LIST:
        return (
            BlackListEntry.objects.filter(status=BlackListStatus.LISTED, listed_on__lte=today, end_date__gte=today)
            .filter(Exists(records_in_force(today).filter(blacklist_entries=OuterRef("pk"))))
            .order_by("-id")
        )
    raise ValueError(section)


def public_entries_to_count(section: str, *, today: datetime.date | None = None) -> QuerySet:
    """The same entries as ``public_entries``, unordered and without ``under_objection``: the base of aggregates
    (``GROUP BY``), where an ordering or an annotation would split the groups (``publicity.statistics``)."""
    return _public_entries(section, today=today).order_by()


_OBJECTION_FIELD = {
    PENALTIES: "publication",
    RED_LIST: "publication",
    LICENCES: "licence",
    BLACK_LIST: "blacklist_entry",
}


def records_in_force(today: datetime.date) -> QuerySet:
    """Credit records still in force on ``today``: approved and within their validity (an expired record counts as
    expired even before the nightly job has marked it)."""
    return Record.objects.filter(status=RecordStatus.APPROVED, validity_end__gte=today)


def blacklist_entries_lapsed(*, today: datetime.date | None = None) -> QuerySet:
    """Listed black-list entries, not yet past their end date, none of whose 失信 records is still in force (all
    revoked or expired). An entry past its end date left the column normally: nothing to remove or correct."""
    today = _today(today)
    return (
        BlackListEntry.objects.filter(status=BlackListStatus.LISTED, end_date__gte=today)
        .exclude(Exists(records_in_force(today).filter(blacklist_entries=OuterRef("pk"))))
        .order_by("id")
    )


def public_entry(section: str, pk: int, *, today: datetime.date | None = None):
    """One public entry, or None (then the page answers 404)."""
    return public_entries(section, today=today).filter(pk=pk).first()


# Where a withdrawal came from when it followed a credit repair (publicity.services: requests and repairs).
REPAIR_SOURCES = ("repair", "external_repair")


# The largest primary key any database here stores (a signed 64-bit integer).
_MAX_ID = 2**63 - 1
# The field of a correction notice (``CorrectionNotice``) that names the entry of each list.
NOTICE_LINK = {PENALTIES: "publication", RED_LIST: "publication", LICENCES: "licence", BLACK_LIST: "blacklist_entry"}


def withdrawal(section: str, pk: int) -> tuple[str, datetime.date] | None:
    """Why and when entry ``pk`` of ``section`` left the column early, when it did: ("repair", day) after a credit
    repair (ours or one decided on 信用中国), ("objection", day) after an objection upheld, ("withdrawn", day) for any
    other source (a reviewer's withdrawal, a revoked record…); None when it was never withdrawn (never public, or
    only past its period). Says nothing of the entry itself: only the 404 page's wording depends on it."""
    if section not in NOTICE_LINK or not 0 < pk <= _MAX_ID:
        return None  # no such entry; SQLite cannot even bind a number past 64 bits to a foreign-key lookup
    notice = (
        CorrectionNotice.objects.filter(kind=CorrectionKind.WITHDRAWN, **{f"{NOTICE_LINK[section]}_id": pk})
        .order_by("-id")
        .values_list("source", "created_at")
        .first()
    )
    if notice is None:
        return None
    source, at = notice
    kind = "repair" if source in REPAIR_SOURCES else source if source == "objection" else "withdrawn"
    return kind, timezone.localdate(at)


def _folded_words(q: str | None) -> str:
    """``q`` in the form of ``search_text`` (``search_fold``), its words separated by one space."""
    return " ".join(search_fold(q).split())


def normalize_term(q: str | None) -> str:
    """The search term in the form of ``search_text`` (``publicity.models.base.search_fold``: full-width digits,
    letters and brackets half-width, every bracket ``()``, upper case), its words separated by one space, at most
    ``MAX_TERM`` characters; '' unless one of its words has ``MIN_TERM`` characters (words of one character alone
    would read the whole table). NUL characters are dropped: stored text never holds one, and PostgreSQL refuses them
    in a query parameter (a 500 instead of "nothing found")."""
    term = _folded_words(q)[:MAX_TERM].strip()
    return term if any(len(word) >= MIN_TERM for word in term.split()) else ""


def term_was_cut(q: str | None) -> bool:
    """Whether ``normalize_term`` searched only the first ``MAX_TERM`` characters of ``q``."""
    return len(_folded_words(q)) > MAX_TERM


def search_entries(section: str, q: str, *, today: datetime.date | None = None) -> QuerySet:
    """Public entries of ``section`` whose name, credit code or document number holds every word of ``q``, compared in
    one form (``normalize_term``): 南昌市 育新学校 finds 南昌市育新学校（2分校）, 洪教罚[2026]１３号 finds 洪教罚〔2026〕13号.

    ``__contains`` (LIKE '%…%', case-sensitive, on text stored in that form) so that on PostgreSQL the pg_trgm GIN
    index on ``search_text`` serves it, Chinese substrings included (the database runs with LC_CTYPE C.UTF-8).
    """
    term = normalize_term(q)
    qs = public_entries(section, today=today)
    if not term:
        return qs.none()
    if settings.PUBLICITY_NAME_SEARCH_NATURAL_PERSONS:
        return _contains(qs, term)
    # Natural persons are not found by name alone (PUBLICITY_NAME_SEARCH_NATURAL_PERSONS off): by their decision
    # number, or by the full name together with the last four characters of the masked ID or the decision number.
    words = term.split()
    found = _either_branch(words)
    if len(words) >= 2:
        by_name = Q(subject_kind=SubjectKind.NATURAL, search_text__startswith=words[0] + SEARCH_SEPARATOR)
        for word in words[1:]:
            by_name &= Q(public_code__endswith=word) | Q(person_number__contains=word)
        found |= by_name
    return _with_branch_columns(qs).filter(found)


def _either_branch(words: list[str]) -> Q:
    """An organisation whose search text, or a natural person whose decision number, holds every one of ``words``.

    On PostgreSQL a two-character word asks each branch's own bigram column (migrations 0014, 0015: organisations'
    search text, natural persons' decision numbers, each NULL in the other's rows), so a common given name never reads
    the natural persons' rows. A text holds a two-character word exactly when its bigrams do: no LIKE besides, which
    would only make PostgreSQL think fewer rows match than do (and fetch and sort them all rather than walk the newest
    entries). Any other word is a LIKE on ``search_text``, which the trigram index serves, in both branches (so written
    once, outside them), and for a natural person a LIKE on its decision number's part besides."""
    natural = Q(subject_kind=SubjectKind.NATURAL)
    pairs = [word for word in words if len(word) == 2] if connection.vendor == "postgresql" else []
    org = Q(org_bigrams__contains=pairs) if pairs else ~natural
    person = Q(person_number_bigrams__contains=pairs) if pairs else natural
    both = Q()
    for word in words:
        if word not in pairs:
            both &= Q(search_text__contains=word)
            person &= Q(person_number__contains=word)
    return both & (org | person)


def _in_either_branch(qs: QuerySet, words: list[str]) -> QuerySet:
    """``qs`` narrowed to ``_either_branch(words)``."""
    return _with_branch_columns(qs).filter(_either_branch(words))


def _with_branch_columns(qs: QuerySet) -> QuerySet:
    """``qs`` able to ask a natural person's decision number in search form (``person_number``: what follows the
    separator of its ``search_text``, ``PublicEntryColumns.build_search_text``) and, on PostgreSQL, the bigram columns
    of migrations 0014 and 0015. Aliases: the SQL holds only those a filter names."""
    after_separator = StrIndex("search_text", Value(SEARCH_SEPARATOR)) + 1
    qs = qs.alias(person_number=Substr("search_text", after_separator))
    if connection.vendor == "postgresql":
        qs = qs.alias(
            org_bigrams=_BigramColumn("org_bigrams"), person_number_bigrams=_BigramColumn("person_number_bigrams")
        )
    return qs


class _Bigrams(Func):
    """``publicity_bigrams(<column>)``: the expression of the two-character GIN indexes (migrations 0013, 0014)."""

    function = "publicity_bigrams"
    output_field = ArrayField(TextField())


class _BigramColumn(Expression):
    """A bigram column of migration 0014 (``person_number_bigrams`` as migration 0015 redefined it), which the database
    generates and the models do not declare."""

    output_field = ArrayField(TextField())

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def as_sql(self, compiler, connection):
        qn = compiler.quote_name_unless_alias
        return f"{qn(self.alias)}.{qn(self.column)}", []


def _contains(qs: QuerySet, term: str) -> QuerySet:
    """``search_text`` holds every word of ``term`` (a ``normalize_term``). A two-character word on PostgreSQL also
    asks the bigram index (pg_trgm has no trigram of it to look up); the LIKE keeps the result exact."""
    words = term.split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    pairs = [word for word in words if len(word) == 2]
    if pairs and connection.vendor == "postgresql":
        qs = qs.alias(search_bigrams=_Bigrams("search_text")).filter(search_bigrams__contains=pairs)
    return qs


def public_articles(model: type[PolicyDocument] | type[NewsItem]) -> QuerySet:
    return model.objects.filter(is_published=True, published_at__lte=timezone.now()).order_by("-published_at", "-id")


def search_articles(model, q: str) -> QuerySet:
    term = normalize_term(q)
    return _contains(public_articles(model), term) if term else model.objects.none()


def org_entries(code: str, *, today: datetime.date | None = None) -> dict[str, QuerySet]:
    """An organisation's public licences, penalties and list entries, by its credit code (legal persons only)."""
    code = (code or "").strip().upper()
    return {
        section: public_entries(section, today=today).filter(public_code=code, subject_kind=SubjectKind.LEGAL)
        for section in SECTIONS
    }


@dataclass
class KeysetPage:
    items: list
    next_cursor: int | None
    has_previous: bool


def keyset_page(qs: QuerySet, cursor: str | int | None, size: int | None = None) -> KeysetPage:
    """Keyset (cursor) pagination on ``-id``: one query, however deep the page."""
    size = size or settings.PUBLICITY_PAGE_SIZE
    after = None
    try:
        after = int(cursor) if cursor not in (None, "") else None
    except (TypeError, ValueError):
        after = None
    if after is not None:
        qs = qs.filter(id__lt=after)
    rows = list(qs[: size + 1])
    next_cursor = rows[size - 1].id if len(rows) > size else None
    return KeysetPage(items=rows[:size], next_cursor=next_cursor, has_previous=after is not None)


# --- workspace -------------------------------------------------------------------------------------------------------


def penalties_awaiting_publication():
    """Approved penalties (items 2, 8) not yet on the column, oldest decision first; never a 处分 (not published)."""
    return (
        Record.objects.filter(item__no__in=PENALTY_ITEMS, status=RecordStatus.APPROVED)
        .exclude(publication__published_at__isnull=False)
        .exclude(withheld_records())
        .select_related("item", "office", "subject")
        .order_by("business_date", "id")
    )


def licences_awaiting_publication():
    return LicenceDecision.objects.filter(status=LicenceStatus.APPROVED, published_at__isnull=True).order_by("jdrq")


def publication_deadlines(rows: list, decision_date, key: str, *, today: datetime.date | None = None) -> list[dict]:
    """``{key: row, "deadline": DueDate, "days_left": int}`` per row: the same as ``publication_deadline`` and
    ``working_days_between`` row by row, on one calendar loaded once for all rows (two queries, not four a row).

    A decision dated after today (entered before the forms refused it) has no deadline yet: its row carries
    ``deadline`` and ``days_left`` None, and whatever the stored date, nothing here overflows the date range."""
    today = _today(today)
    if not rows:
        return []
    days = settings.PUBLICITY_PUBLISH_WORKING_DAYS
    dates = [decision_date(row) for row in rows]
    past = [day for day in dates if day <= today]
    lo = min([*past, today])
    hi = today + datetime.timedelta(days=days * 7 + 31)  # wider than due_date_for's own window
    cal = WorkingCalendar(lo, hi)
    out = []
    for row, day in zip(rows, dates, strict=True):
        if day > today:
            out.append({key: row, "deadline": None, "days_left": None})
            continue
        deadline = cal.add_working_days(day, days)
        out.append(
            {key: row, "deadline": deadline, "days_left": working_days_between(today, deadline.due, calendar=cal)}
        )
    return out


def request_timers(rows: list, *, today: datetime.date | None = None) -> list:
    """Set ``days_left`` (working days until the due date, negative when overdue; None once decided) on every
    objection or repair of ``rows``, on one calendar loaded once for all of them (two queries, however many rows)."""
    today = _today(today)
    undecided = [r for r in rows if r.status != RequestStatus.DECIDED]
    for r in rows:
        r.days_left = None
    if undecided:
        dues = [r.due_date for r in undecided]
        cal = WorkingCalendar(min([*dues, today]), max([*dues, today]))
        for r in undecided:
            r.days_left = working_days_between(today, r.due_date, calendar=cal)
    return rows


def open_requests(*, today: datetime.date | None = None, limit: int | None = None) -> list:
    """Objections and repairs not yet decided, soonest due first, each with its timer (``days_left``): four queries
    in all, whatever the number of rows. ``limit`` keeps the soonest due (each kind is cut in the database first)."""
    order = ("due_date", "received_at", "id")
    objections = Objection.objects.filter(status=RequestStatus.RECEIVED).select_related(
        "publication", "licence", "blacklist_entry"
    )
    repairs = RepairApplication.objects.filter(status=RequestStatus.RECEIVED).select_related("publication")
    objections, repairs = objections.order_by(*order), repairs.order_by(*order)
    if limit is not None:
        objections, repairs = objections[:limit], repairs[:limit]
    rows = sorted([*objections, *repairs], key=lambda r: (r.due_date, r.received_at))[:limit]
    return request_timers(rows, today=today)


def open_request_count() -> int:
    return (
        Objection.objects.filter(status=RequestStatus.RECEIVED).count()
        + RepairApplication.objects.filter(status=RequestStatus.RECEIVED).count()
    )


def record_publication(record: Record) -> Publication | None:
    """The record's entry on the column (双公示 penalty or 红名单), if it has one; None for other items."""
    if record.item.no not in PUBLIC_ITEMS:
        return None
    return Publication.objects.filter(record_id=record.pk).first()
