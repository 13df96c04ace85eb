"""The import's look-up of stored records by their natural key (the duplicate check, the update mode's match) is
planned without parallel workers on PostgreSQL, and leaves the session's setting as it found it."""

import pytest
from django.db import connection

from credit.models import Item, Office
from reporting.imports import RecordImporter
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


def test_the_duplicate_check_looks_stored_records_up_without_parallel_workers(clerk_of_item_offices):
    item, office = Item.objects.get(no=1), Office.objects.get(code="zuren")
    data = workbook_bytes(1, template_rows(1, [0, 1]))
    assert RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data).ok
    before = _setting()
    assert before != "0"  # the server's own setting, which the look-up overrides

    during = []

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if 'FROM "credit_item1"' in sql and '"id_number" IN (' in sql:
            # Another cursor of the same session: what the look-up was planned under.
            with context["connection"].connection.cursor() as raw:
                raw.execute("SHOW max_parallel_workers_per_gather")
                during.append(raw.fetchone()[0])
        return result

    with connection.execute_wrapper(watch):
        again = RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data)
    assert [e.reason for e in again.errors] == ["系统中已有相同记录（身份证号码、证书编号 相同），请勿重复报送"] * 2
    assert during and set(during) == {"0"}
    assert _setting() == before


def test_the_duplicate_check_reads_each_records_scope_from_an_index(clerk_of_item_offices):
    """The join of a typed table's matches to their records keeps the user's offices' live records from the
    ``record_scope`` index (key, office, status): at 1M records the table itself is larger than PostgreSQL's default
    shared buffers, and reading it made the check cost more at 1M than at 100k (``bench/bench_scale.py``)."""
    item, office = Item.objects.get(no=1), Office.objects.get(code="zuren")
    data = workbook_bytes(1, template_rows(1, [0, 1]))
    assert RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data).ok
    look_ups = []

    def watch(execute, sql, params, many, context):
        if 'FROM "credit_item1"' in sql and '"id_number" IN (' in sql:
            look_ups.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data)
    assert look_ups
    sql, params = look_ups[0]
    with connection.cursor() as cursor:
        # A handful of rows here: rule out reading whole tables, and see which index answers for the records.
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using record_scope on credit_record" in plan, plan
