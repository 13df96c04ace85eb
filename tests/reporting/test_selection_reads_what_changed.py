"""The daily jobs read what changed since their last run, through an index, not the whole history (PostgreSQL plans):
the delivery selection after a batch, the overdue reminders after a run."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from credit.models import Item, Notice, NoticeKind
from credit.services.notices import overdue_candidates
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


def test_overdue_reminders_after_a_run_read_the_records_due_or_changed_since(clerk):
    from tests.factories import create_record

    record = create_record(8, clerk, day=timezone.localdate() - datetime.timedelta(days=60))
    Notice.objects.create(
        record=record, office=record.office, kind=NoticeKind.OVERDUE, due_date=record.due_date, message="—"
    )
    plan = _explain(overdue_candidates(timezone.localdate()))
    assert "record_status_updated" in plan, plan
