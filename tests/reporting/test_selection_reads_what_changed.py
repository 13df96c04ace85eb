"""The daily delivery selection reads what changed since the item's last batch, through an index, not the item's whole
history (PostgreSQL plan)."""

import pytest
from django.db import connection

from credit.models import Item
from reporting.models import BatchKind
from reporting.selectors import records_awaiting_delivery
from reporting.services.batches import batch_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _explain(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows here: see which index serves it
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_delivery_selection_after_a_batch_reads_the_records_changed_since(make_records):
    item = Item.objects.get(no=8)
    make_records(8, 2)
    assert batch_create(item=item, kind=BatchKind.INCREMENTAL) is not None
    plan = _explain(records_awaiting_delivery(item))
    assert "record_item_status_updated" in plan, plan
