"""Batch credit check benchmark (信用审查, issue 13): a 5,000-row candidate list checked against a database holding
2,500 organisations with live 失信 records and an external list of 2,000 people. Target: the report in under 10 s on
SQLite. The look-up is set-based (``vetting.selectors.hits_for``): a handful of queries, not one per row.

    .venv/bin/python bench/vetting_bench.py [ROWS]
"""

from __future__ import annotations

import datetime
import sys

from _setup import clerk_and_office, setup_django, teardown_django, timed

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
ORGS_WITH_RECORDS = 2_500
LISTED_PEOPLE = 2_000


def seed() -> tuple[int, int]:
    """Organisations with an approved, in-force 失信 (black-list item) record, and people on an external list."""
    from django.utils import timezone

    from core.django_internals import insert_child_instances
    from credit.catalog import BLACK_LIST, ItemSpec
    from credit.demo import credit_code, person_id, sample_values
    from credit.models import Subject, SubjectKind
    from credit.registry import model_for_item
    from vetting.models import ExternalList, ExternalListEntry

    spec = next(i for i in ItemSpec.items_with(publicity=BLACK_LIST) if i.is_negative and not i.is_natural_person)
    item, office, user = clerk_and_office(spec.no)
    Subject.objects.bulk_create(
        [Subject(kind=SubjectKind.LEGAL, identifier=credit_code(i), name=f"单位{i}") for i in range(ORGS_WITH_RECORDS)]
    )
    subjects = dict(Subject.objects.values_list("identifier", "pk"))
    model = model_for_item(spec.no)
    now = timezone.now()
    today = timezone.localdate()
    records = []
    for i in range(ORGS_WITH_RECORDS):
        values = sample_values(spec.no, i, day=today - datetime.timedelta(days=30))
        record = model(item=item, office=office, created_by=user, updated_by=user, created_at=now, updated_at=now)
        for key in model.field_keys():
            value = values[key]
            if model._meta.get_field(key).get_internal_type() == "DateField":
                value = datetime.date.fromisoformat(value)
            setattr(record, key, value)
        setattr(record, spec.subject_id_field, credit_code(i))
        record.status, record.version = "approved", 3
        record.subject_id = subjects[credit_code(i)]
        record.business_date = record.due_date = today - datetime.timedelta(days=30)
        record.validity_end = today + datetime.timedelta(days=365)
        records.append(record)
    insert_child_instances(records)
    listed = ExternalList.objects.create(name="国家失信被执行人名单", imported_by=user)
    ExternalListEntry.objects.bulk_create(
        [
            ExternalListEntry(
                dishonesty_list=listed, subject_kind=SubjectKind.NATURAL, name=f"人员{i}", identifier=person_id(i)
            )
            for i in range(LISTED_PEOPLE)
        ],
        batch_size=1000,
    )
    return item.pk, user.pk


def candidate_file(rows: int) -> tuple[bytes, int]:
    """Half organisations (every other one with a record), half people (every other one listed); expected hits."""
    from credit.demo import credit_code, person_id

    lines = ["名称,身份证号码或统一社会信用代码"]
    expected = 0
    for n in range(rows):
        if n % 2 == 0:
            i = n // 2 * 2  # even organisations: within the seeded range for the first ORGS_WITH_RECORDS
            lines.append(f"单位{i},{credit_code(i)}")
            expected += i < ORGS_WITH_RECORDS
        else:
            i = n // 2 * 2
            lines.append(f"人员{i},{person_id(i)}")
            expected += i < LISTED_PEOPLE
    return "\n".join(lines).encode(), expected


def floor(data: bytes) -> int:
    """The baseline, measured in the same run: the least any check must do — read the candidate list and look its
    identifiers up among the subjects once, in chunks (no rules, no records, no lists, no report)."""
    import csv
    import io

    from credit.models import Subject

    rows = list(csv.reader(io.StringIO(data.decode())))[1:]
    identifiers = [row[1] for row in rows]
    found = 0
    for start in range(0, len(identifiers), 500):
        found += len(Subject.objects.filter(identifier__in=identifiers[start : start + 500]).values_list("pk"))
    return found


def main() -> None:
    tmp, dbname, vendor = setup_django()
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from vetting.services.batch import batch_check_run

        seed()
        data, expected = candidate_file(ROWS)
        reviewer = get_user_model().objects.create_user(username="bench_rev", password="x-Bench-1234", role="reviewer")
        with CaptureQueriesContext(connection) as queries:
            seconds, check = timed(batch_check_run, data=data, file_name="candidates.csv", user=reviewer)
        assert check.candidate_count == ROWS, check.candidate_count
        assert check.hit_count == expected, (check.hit_count, expected)
        base, _found = timed(floor, data)
        print(f"rows: {ROWS}  database: {vendor}  candidates with hits: {check.hit_count} (expected {expected})")
        print(f"baseline (read the list, one look-up of its identifiers): {base:6.2f} s")
        print(
            f"batch credit check: {seconds:6.2f} s  = {seconds / base:.1f}x the baseline  queries: {len(queries)}"
            "  (target < 10 s)"
        )
    finally:
        teardown_django(dbname)


if __name__ == "__main__":
    main()
