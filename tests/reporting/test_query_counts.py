"""Query counts of the reporting list pages do not grow with their rows (NetBox's query_counts idea)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit.models import Item, Office
from reporting.models import BatchKind, BatchStatus, ExportBatch, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def _batches(n: int, start: int = 0) -> None:
    items = list(Item.objects.order_by("no"))
    for i in range(start, start + n):
        status = BatchStatus.FAILED if i % 3 == 0 else BatchStatus.DELIVERED
        ExportBatch.objects.create(
            item=items[i % len(items)] if i % 4 else None, kind=BatchKind.FULL, row_count=i, status=status
        )


def _jobs(clerk_of_item_offices, n: int, start: int = 0) -> None:
    office = Office.objects.get(code="zuren")
    item = Item.objects.get(no=1)
    for i in range(start, start + n):
        job = ImportJob(
            item=item, office=office, created_by=clerk_of_item_offices, status=ImportStatus.SUCCEEDED, total_rows=i
        )
        job.file.save(f"{i}.xlsx", ContentFile(b"x"), save=False)
        job.save()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_ledger_queries_do_not_grow_with_batches(client, reviewer):
    client.force_login(reviewer)
    url = reverse("reporting:batch-list")
    _batches(5)
    few = _count(client, url)
    _batches(25, start=5)
    assert _count(client, url) == few


def test_import_list_queries_do_not_grow_with_jobs(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    url = reverse("reporting:home")
    _jobs(clerk_of_item_offices, 5)
    few = _count(client, url)
    _jobs(clerk_of_item_offices, 25, start=5)
    assert _count(client, url) == few


def test_reviewer_home_queries_do_not_grow_with_failed_batches(client, reviewer):
    client.force_login(reviewer)
    url = reverse("reporting:home")
    _batches(5)
    few = _count(client, url)
    _batches(25, start=5)
    assert _count(client, url) == few
