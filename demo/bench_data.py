"""A reproducible, realistic data set for the benchmarks (``manage.py bench_data --records N``), loaded through COPY.

Records of all ten items spread over the years of a bureau's history (every office of the item, every status,
submissions on time and late, decisions), their subjects (one person or organisation behind several records, ID
numbers encrypted as the portal stores them) and the publications of the approved penalties and red-list records.
The same ``--seed`` gives the same data. Rows go in with PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3), each value
prepared by its model field as Django's own insert would; signals, change history and lifecycle events are not
written (no page the benchmarks time reads them for a list or a dashboard).
"""

from __future__ import annotations

import bisect
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.django_internals import copy_rows, copy_unsaved, reserve_ids
from credit.catalog import RED_LIST, ItemSpec
from credit.crypto import encrypt
from credit.demo import SCHOOLS, credit_code, person_name, sample_values
from credit.models import Item, Notice, NoticeKind, Office, Record, RecordStatus, Subject, SubjectKind
from credit.models.counts import RECOUNT_SQL
from credit.registry import model_for_item
from credit.selectors import UNSUBMITTED
from credit.services.calendar import DueDate, WorkingCalendar, semiannual_period
from credit.services.records import validity_end_for
from credit.validators import cn_id_sex
from oversight.aggregates import aggregates_rebuild
from publicity.models import Publication, PublicationKind
from publicity.models.publications import PENALTY_CATEGORIES
from publicity.services import publications as publishing
from publicity.services.entries import fill_from_record, public_code_for
from reporting.models import BatchFormat, BatchKind, BatchRecord, BatchStatus, ExportBatch


def item_weight(item: Item) -> int:
    """Share of the records of ``item``, by what the catalogue says of it: the semiannual lists (teacher
    qualifications) are the bulk, then the red list, then everything decided case by case."""
    if item.deadline_kind == "semiannual":
        return 30
    if item.publicity == RED_LIST:
        return 12
    return 6


STATUS_WEIGHTS = {
    RecordStatus.APPROVED: 80,
    RecordStatus.SUBMITTED: 4,
    RecordStatus.DRAFT: 3,
    RecordStatus.RETURNED: 2,
    RecordStatus.REVOKED: 3,
    RecordStatus.EXPIRED: 8,
}
DECIDED = {RecordStatus.APPROVED, RecordStatus.RETURNED, RecordStatus.REVOKED, RecordStatus.EXPIRED}
# Region code of the generated ID numbers (青山湖区), unlike the demo's 360102: the two data sets never collide.
REGION = "360111"
# Generated credit codes start this far into the demo generator's sequence, for the same reason.
CODE_OFFSET = 50_000_000
CHUNK = 20_000
# The history ends this long before the load: the delivery's and the reminders' last runs are at the load's time.
SETTLED = datetime.timedelta(hours=2)
# Text values cycle through this many variants per item (``credit.demo.sample_values`` with that many seqs).
VARIANTS = 500


def bench_person_id(seq: int) -> str:
    """The ``seq``-th generated ID number (distinct for the first 14 million): birth date and order from ``seq``."""
    from stdnum.cn import ric

    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=seq % 14_000)
    order = (seq // 14_000) % 1000
    body = f"{REGION}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


@dataclass
class Pools:
    """The subjects records refer to: the first id of each kind and their names and encrypted identifiers."""

    natural_first: int
    natural_ids: list[str]
    natural_cipher: list[str]
    legal_first: int
    legal_codes: list[str]
    legal_cipher: list[str]


@dataclass
class Report:
    records: int = 0
    subjects: int = 0
    publications: int = 0
    seconds: float = 0.0
    per_item: dict[int, int] = field(default_factory=dict)


def _users(offices: list[Office]) -> tuple[User, dict[int, User]]:
    reviewer, _ = User.objects.get_or_create(username="bench_reviewer", defaults={"role": Role.REVIEWER})
    clerks = {}
    for office in offices:
        clerk, created = User.objects.get_or_create(
            username=f"bench_clerk_{office.code}", defaults={"role": Role.CLERK}
        )
        if created:
            clerk.set_unusable_password()
            clerk.save(update_fields=["password"])
            clerk.offices.add(office)
        clerks[office.pk] = clerk
    return reviewer, clerks


def _skip_constraint_triggers() -> None:
    """For this transaction, do not run the foreign-key triggers (as ``pg_restore --disable-triggers`` does), where the
    database role may: every reference in the generated rows is to a row made before it, and checking 1M records'
    nine references each at COMMIT takes longer than loading them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _drop_secondary_indexes(models) -> list[str]:
    """Drop the indexes of ``models``' tables that back no constraint (not the primary keys, not the unique ones)
    and return the statements that make them again: one sorted build per index after the load is several times
    faster than keeping every index up to date row by row."""
    rebuild = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for model in models:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                "AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
                # Partial indexes stay and are kept up to date row by row: made again from pg_indexes' text, their
                # predicates would not read back as the migrations wrote them.
                "AND i.indexdef NOT LIKE '%% WHERE %%'",
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                rebuild.append(definition)
    return rebuild


def _subjects(natural: int, legal: int, now: datetime.datetime, memo: dict) -> Pools:
    fields = [f for f in Subject._meta.concrete_fields]
    first_n = reserve_ids(Subject, natural)
    ids = [bench_person_id(first_n + j) for j in range(natural)]
    cipher = [encrypt(v) for v in ids]
    first_l = reserve_ids(Subject, legal)
    codes = [credit_code(CODE_OFFSET + first_l + j) for j in range(legal)]
    ccipher = [encrypt(v) for v in codes]

    def rows():
        for j in range(natural):
            values = {
                "id": first_n + j,
                "kind": SubjectKind.NATURAL.value,
                "identifier": cipher[j],
                "identifier_kind": "cn_id",
                "name": person_name(first_n + j),
                "created_at": now,
                "updated_at": now,
            }
            yield [values[f.attname] for f in fields]
        for j in range(legal):
            values = {
                "id": first_l + j,
                "kind": SubjectKind.LEGAL.value,
                "identifier": ccipher[j],
                "identifier_kind": "uscc",
                "name": _school(first_l + j),
                "created_at": now,
                "updated_at": now,
            }
            yield [values[f.attname] for f in fields]

    copy_rows(Subject, fields, rows(), memo=memo)
    return Pools(first_n, ids, cipher, first_l, codes, ccipher)


def _school(seq: int) -> str:
    base = SCHOOLS[seq % len(SCHOOLS)]
    return f"{base}（{seq // len(SCHOOLS) + 1}分校）"


def _weighted(rng: random.Random, weights: dict) -> Callable[[], object]:
    keys, cum = list(weights), []
    total = 0
    for key in keys:
        total += weights[key]
        cum.append(total)
    draw = rng.random
    # ``rng.choices(keys, cum_weights=cum)[0]`` without its per-call checks: two draws per record, a million records.
    return lambda: keys[bisect.bisect(cum, draw() * total)]


def build(records: int, *, seed: int = 2026, years: int = 5, today: datetime.date | None = None, log=print) -> Report:
    """Load ``records`` credit records (with their subjects and publications) into the PostgreSQL database."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("bench_data loads through COPY: PostgreSQL only")
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tz = ZoneInfo(settings.TIME_ZONE)
    report = Report()
    items = {item.no: item for item in Item.objects.prefetch_related("offices")}
    all_offices = list(Office.objects.order_by("id"))
    offices_of = {no: list(item.offices.all()) or all_offices for no, item in items.items()}
    pick_item = _weighted(rng, {no: item_weight(item) for no, item in items.items()})
    pick_status = _weighted(rng, STATUS_WEIGHTS)
    natural_items = {no for no, item in items.items() if item.is_natural_person}
    penalty_items, red_items = set(publishing.PENALTY_ITEMS), set(publishing.RED_LIST_ITEMS)
    at_ten = cache(lambda day: datetime.datetime.combine(day, datetime.time(10), tzinfo=tz))
    # credit.services.calendar.item_due_date's rule on one calendar loaded once (it loads one per call).
    calendar = WorkingCalendar(today - datetime.timedelta(days=years * 365 + 1), today + datetime.timedelta(days=400))

    @cache
    def due_for(no: int, day: datetime.date) -> DueDate:
        item = items[no]
        if item.deadline_kind == "semiannual":
            return DueDate(semiannual_period(day)[1], False)
        return calendar.add_working_days(day, item.deadline_days or 7)

    memo: dict = {}
    variants = cache(lambda no, k: sample_values(no, k))
    date_keys, future_keys, year_keys = {}, {}, {}
    for no in items:
        spec = ItemSpec.get(no)
        future_keys[no] = [f.key for f in spec.fields if f.key in spec.future_date_fields]
        date_keys[no] = [f.key for f in spec.fields if f.type == "date" and f.key not in spec.future_date_fields]
        year_keys[no] = [f.key for f in spec.fields if f.type == "year"]
    publication = _Publisher(items)

    with transaction.atomic():
        _skip_constraint_triggers()
        tables = [Subject, Record, Publication, BatchRecord, Notice, *(model_for_item(no) for no in items)]
        rebuild = _drop_secondary_indexes(tables)
        reviewer, clerks = _users(all_offices)
        now = timezone.now()
        pools = _subjects(max(1, records // 4), max(1, records // 20), now, memo)
        report.subjects = len(pools.natural_ids) + len(pools.legal_codes)
        record_fields = [f for f in Record._meta.concrete_fields]
        typed_fields = {no: list(model_for_item(no)._meta.local_concrete_fields) for no in items}
        pub_fields = [f for f in Publication._meta.concrete_fields]
        first_id = reserve_ids(Record, records)
        # Every write of the generated history is older than this (the benchmarks' "nothing new since the last run").
        settled = now - SETTLED
        span = years * 365
        for lo in range(0, records, CHUNK):
            hi = min(records, lo + CHUNK)
            base_rows, typed_rows, pubs = [], {no: [] for no in items}, []
            for i in range(lo, hi):
                no = pick_item()
                item = items[no]
                spec = ItemSpec.get(no)
                office = rng.choice(offices_of[no])
                clerk = clerks[office.pk]
                day = today - datetime.timedelta(days=rng.randrange(span))
                status = pick_status()
                due = due_for(no, day)
                validity_end = validity_end_for(day, item.validity_years or settings.RECORD_VALIDITY_YEARS)
                if status == RecordStatus.APPROVED and validity_end < today:
                    status = RecordStatus.EXPIRED
                created = at_ten(day + datetime.timedelta(days=rng.randrange(3)))
                submitted = decided = None
                if status != RecordStatus.DRAFT:
                    late = rng.random() < 0.1
                    shift = rng.randrange(1, 20) if late else -rng.randrange(0, 5)
                    submitted = max(created, at_ten(due.due + datetime.timedelta(days=shift)))
                if status in DECIDED:
                    decided = submitted + datetime.timedelta(days=rng.randrange(1, 4))
                if (decided or submitted or created) > settled:  # not yet submitted or decided by now: a draft
                    status, submitted, decided = RecordStatus.DRAFT, None, None
                if no in natural_items:
                    j = rng.randrange(len(pools.natural_ids))
                    subject_id, ident = pools.natural_first + j, pools.natural_ids[j]
                    name = person_name(subject_id)
                else:
                    j = rng.randrange(len(pools.legal_codes))
                    subject_id, ident = pools.legal_first + j, pools.legal_codes[j]
                    name = _school(subject_id)
                k = i % VARIANTS
                values = dict(variants(no, k))
                for key in date_keys[no]:
                    values[key] = day
                for key in future_keys[no]:
                    values[key] = validity_end
                for key in year_keys[no]:
                    values[key] = str(day.year - 1)
                values[spec.subject_id_field] = ident  # the field encrypts an ID number (memoised per value)
                if spec.subject_name_field:
                    values[spec.subject_name_field] = name
                if "sex" in values:
                    values["sex"] = cn_id_sex(ident)
                pk = first_id + i
                base = {
                    "id": pk,
                    "item_id": item.pk,
                    "office_id": office.pk,
                    "subject_id": subject_id,
                    "business_date": day,
                    "due_date": due.due,
                    "due_date_provisional": due.provisional,
                    "status": status.value,
                    "validity_end": validity_end,
                    "created_by_id": clerk.pk,
                    "created_at": created,
                    "updated_by_id": reviewer.pk if decided else clerk.pk,
                    "updated_at": decided or submitted or created,
                    "submitted_at": submitted,
                    "version": 2 if decided else 1,
                    "decided_by_id": reviewer.pk if decided else None,
                    "decided_at": decided,
                    "decision_reason": "材料不全，请补充后重新提交" if status == RecordStatus.RETURNED else "",
                    # Public from its approval, as the publication below says (credit's first-publication fact).
                    "first_published_at": (
                        decided
                        if status == RecordStatus.APPROVED and (no in penalty_items or no in red_items)
                        else None
                    ),
                    "first_delivered_at": None,
                }
                base_rows.append([base[f.attname] for f in record_fields])
                # Optional catalogue columns the generator leaves out (e.g. the national 双公示 extras) stay empty.
                typed_rows[no].append([pk] + [values.get(f.attname, f.get_default()) for f in typed_fields[no][1:]])
                if status == RecordStatus.APPROVED and (no in penalty_items or no in red_items):
                    pubs.append(publication(no, k, office, base, values, ident, name, reviewer))
            copy_rows(Record, record_fields, base_rows, memo=memo)
            for no, rows in typed_rows.items():
                if rows:
                    copy_rows(model_for_item(no), typed_fields[no], rows, memo=memo)
                    report.per_item[no] = report.per_item.get(no, 0) + len(rows)
            pubs = [p for p in pubs if p is not None]
            if pubs:
                first_pub = reserve_ids(Publication, len(pubs))
                for k, pub in enumerate(pubs):
                    pub.id = first_pub + k
                copy_rows(Publication, pub_fields, ([getattr(p, f.attname) for f in pub_fields] for p in pubs))
                report.publications += len(pubs)
            report.records = hi
            log(f"{hi:,} / {records:,} records ({time.perf_counter() - started:.0f} s)")
        _delivered_and_reminded(items.values(), now)
        log(f"rebuilding {len(rebuild)} indexes ({time.perf_counter() - started:.0f} s)")
        with connection.cursor() as cursor:
            for sql in rebuild:
                cursor.execute(sql)
        with connection.cursor() as cursor:  # the counts' triggers did not run either (credit.models.counts)
            for sql in RECOUNT_SQL:
                cursor.execute(sql)
    # Nor did credit's signals: oversight's office × item × month aggregates are recounted from the records.
    log(f"recounting oversight's aggregates ({time.perf_counter() - started:.0f} s)")
    aggregates_rebuild()
    # VACUUM as well as ANALYZE, as after any bulk load: rows written by COPY are not marked all-visible until a vacuum,
    # so until autovacuum came round (here: not within the hour) every index-only scan also read the table, and the
    # benchmarks measured how far autovacuum had got. The whole database (the aggregates and counts written above too),
    # outside the load's transaction: VACUUM refuses to run in one.
    log(f"vacuuming and analysing ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    report.seconds = time.perf_counter() - started
    return report


def _delivered_and_reminded(items, now: datetime.datetime) -> None:
    """The state the daily jobs leave: every approved record delivered to the municipal platform (one incremental
    batch per item, delivered, carrying each record's current version) and every overdue record reminded of (its
    overdue notice, e-mailed). Written in SQL on the server, one pass over the records each."""
    batches = {
        item.pk: ExportBatch.objects.create(
            item=item,
            kind=BatchKind.INCREMENTAL,
            format=BatchFormat.UPLOAD_TEMPLATE,
            scope="基准数据：历史已报送",
            created_at=now,
            status=BatchStatus.DELIVERED,
            delivered_at=now,
            delivered_via="dropfolder",
        ).pk
        for item in items
    }
    lines, records = BatchRecord._meta.db_table, Record._meta.db_table
    with connection.cursor() as cursor:
        pairs = ", ".join(f"({int(item)}, {int(batch)})" for item, batch in batches.items())
        cursor.execute(
            f"INSERT INTO {lines} (batch_id, record_id, record_version) SELECT b.batch_id, r.id, r.version "
            f"FROM {records} r JOIN (VALUES {pairs}) AS b (item_id, batch_id) ON b.item_id = r.item_id "
            "WHERE r.status = %s",
            [RecordStatus.APPROVED.value],
        )
        cursor.execute(
            f"UPDATE {ExportBatch._meta.db_table} b SET row_count = (SELECT count(*) FROM {lines} l "
            "WHERE l.batch_id = b.id) WHERE b.id = ANY(%s)",
            [list(batches.values())],
        )
        cursor.execute(
            f"INSERT INTO {Notice._meta.db_table} "
            "(record_id, office_id, kind, due_date, message, created_at, emailed_at, emailed_to) "
            "SELECT r.id, r.office_id, %s, r.due_date, "
            "'“' || i.name || '”记录 #' || r.id || ' 已超过报送截止日期 ' || r.due_date || '，尚未提交，请尽快报送。', "
            f"%s, %s, '' FROM {records} r JOIN {Item._meta.db_table} i ON i.id = r.item_id "
            "WHERE r.status = ANY(%s) AND r.due_date < %s",
            [NoticeKind.OVERDUE.value, now, now, [s.value for s in UNSUBMITTED], timezone.localdate(now)],
        )


class _Publisher:
    """The publication an approved penalty or red-list record has, as ``publicity.services.publications`` makes it.

    Made through the service's own functions once per item and text variant (a prototype), then copied with the
    record's own subject, dates and ids: building and masking each of 400,000 publications from scratch would take
    most of the load's time."""

    def __init__(self, items: dict[int, Item]):
        self.items = items
        self.prototypes: dict[tuple[int, int], Publication] = {}

    def __call__(self, no, k, office, base, values, ident, name, reviewer) -> Publication:
        proto = self.prototypes.get((no, k))
        if proto is None:
            proto = self.prototypes[(no, k)] = self._prototype(no, office, base, values, ident)
        pub = copy_unsaved(proto)
        pub.record_id = base["id"]
        pub.published_at, pub.published_by_id = base["decided_at"], reviewer.pk
        pub.subject_name = name
        pub.public_code = public_code_for(pub.subject_kind, ident)
        day = base["business_date"]
        if pub.kind == PublicationKind.RED_LIST:
            pub.decision_date, pub.valid_until = day, base["validity_end"]
        else:
            pub.decision_date = values.get(self._penalty_date_key(no)) or day
            pub.publicity_end = pub.valid_until = publishing.publicity_end_bounds(pub.decision_date)[1]
            if not (self._has_decision_number(no) and pub.document_number):  # an optional column left empty too
                pub.document_number = f"洪教罚〔{pub.decision_date.year}〕{base['id']}号"
        pub.search_text = pub.build_search_text()
        return pub

    @staticmethod
    def _penalty_date_key(no: int) -> str | None:
        return ItemSpec.get(no).penalty_columns.source("cf_jdrq")

    @staticmethod
    def _has_decision_number(no: int) -> bool:
        return bool(ItemSpec.get(no).penalty_columns.source("cf_wsh"))

    def _prototype(self, no, office, base, values, ident) -> Publication:
        model = model_for_item(no)
        typed = model(item=self.items[no], office=office, **{k: v for k, v in base.items() if k not in _NOT_TYPED})
        for f in model._meta.local_concrete_fields[1:]:
            setattr(typed, f.attname, values.get(f.attname, f.get_default()))
        setattr(typed, typed.SUBJECT_ID_FIELD, ident)
        pub = Publication()
        if no in publishing.RED_LIST_ITEMS:
            publishing._fill_red_list(pub, typed)
            return pub
        mapping = ItemSpec.get(no).penalty_columns
        for key, column in publishing._DEFAULT_COLUMNS.items():
            source = mapping.source(column)
            setattr(pub, key, getattr(typed, source) if source else "")
        # What a reviewer completes when publishing (the national columns Annex 1 lacks).
        if pub.penalty_category not in PENALTY_CATEGORIES:
            pub.penalty_category = "警告"
        pub.document_number = pub.decision_number
        pub.offence_type = pub.offence_type or "违反教育管理规定"
        pub.offence_facts = pub.offence_facts or "未按规定办学"
        pub.penalty_basis = pub.penalty_basis or "《中华人民共和国民办教育促进法》"
        pub.kind, pub.item_no = PublicationKind.PENALTY, no
        pub.decision_date = pub.decision_date or typed.business_date
        pub.publicity_end = pub.valid_until = publishing.publicity_end_bounds(pub.decision_date)[1]
        fill_from_record(pub, typed)
        return pub


_NOT_TYPED = ("item_id", "office_id")
