"""``manage.py bench_data`` (PostgreSQL): a data set the portal itself accepts — valid records of every item, their
subjects found by ID number, public entries on the column, exact dashboard counts, every index back in place and the
tables vacuumed."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from credit.models import Record, RecordCount, Subject
from credit.registry import model_for_item
from publicity import selectors

# Transactional: the load ends with VACUUM, which PostgreSQL refuses inside a transaction block.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        return {row[0] for row in cursor.fetchall()}


def test_bench_data_builds_records_the_portal_accepts():
    before = _indexes()
    out = io.StringIO()
    call_command("bench_data", records=600, seed=7, stdout=out)
    assert "600 records" in out.getvalue()
    assert Record.objects.count() == 600
    assert _indexes() == before  # dropped for the load, all made again
    for no in range(1, 11):
        model = model_for_item(no)
        records = list(model.objects.select_related("item", "subject")[:15])
        assert records, no
        for record in records:
            record.full_clean()  # what the entry form's model validation accepts
            ident = getattr(record, record.SUBJECT_ID_FIELD)
            assert record.subject.identifier == ident
            # ID numbers are stored encrypted and still found by an exact look-up (the duplicate check's).
            assert model.objects.filter(**{record.SUBJECT_ID_FIELD: ident}).filter(pk=record.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM credit_item1 WHERE id_number LIKE '3601%%'")
        assert cursor.fetchone()[0] == 0  # no ID number in clear
    recount = {
        (o, i, s): n
        for o, i, s, n in Record.objects.order_by()
        .values_list("office_id", "item_id", "status")
        .annotate(n=Count("id"))
    }
    assert {(c.office_id, c.item_id, c.status): c.n for c in RecordCount.objects.all()} == recount
    assert selectors.public_entries(selectors.PENALTIES).exists()
    assert selectors.public_entries(selectors.RED_LIST).exists()
    assert Subject.objects.count() == 600 // 4 + 600 // 20
    # Vacuumed, as after any bulk load: rows written by COPY are all-visible only after a vacuum, and without one every
    # index-only scan of the benchmarks read the table too, for as long as autovacuum had not come round.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class "
            "WHERE relname IN ('credit_record', 'credit_item1', 'credit_subject', 'publicity_publication')"
        )
        rows = cursor.fetchall()
    assert len(rows) == 4
    for name, pages, visible in rows:
        assert pages > 0 and visible == pages, name

    # Run again on the loaded database: refused, saying why, and nothing changed (it stopped half-way with a traceback).
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="数据库中已有 600 条信用记录"):
        call_command("bench_data", records=50, seed=8, stdout=io.StringIO())
    assert Record.objects.count() == 600


def test_bench_data_refuses_a_non_positive_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="必须为正整数"):
        call_command("bench_data", records=0)
