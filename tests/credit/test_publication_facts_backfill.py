"""The migration that introduced ``Record.first_published_at`` / ``first_delivered_at`` fills them from the column's
publications and the ledger's delivered batches, so oversight's 迟报率 covers records published before it."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from credit.models import Record
from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch
from tests.factories.publicity import PublicationFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("credit.migrations.0015_backfill_record_published_and_delivered").backfill


def test_backfill_takes_the_publication_time_and_the_first_delivered_batch(reviewer):
    publication = PublicationFactory(reviewer=reviewer)
    record = publication.record
    first, later = timezone.now() - datetime.timedelta(days=3), timezone.now() - datetime.timedelta(days=1)
    for when, status in ((later, BatchStatus.DELIVERED), (first, BatchStatus.DELIVERED), (None, BatchStatus.PENDING)):
        batch = ExportBatch.objects.create(
            item=record.item,
            kind=BatchKind.values[0],
            status=status,
            delivered_at=when,
            created_by=reviewer,
            row_count=1,
        )
        BatchRecord.objects.create(batch=batch, record=record, record_version=record.version)
    Record.objects.filter(pk=record.pk).update(first_published_at=None, first_delivered_at=None)
    backfill(apps, None)
    record.refresh_from_db()
    assert record.first_published_at == publication.published_at
    assert record.first_delivered_at == first
