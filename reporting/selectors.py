"""Reads of the reporting app that are more than a filter."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from credit.models import Item, RecordStatus
from credit.registry import model_for_item
from reporting.models import BatchRecord, BatchStatus, ExportBatch

# A record version carried by a batch in one of these states needs no new delivery.
CARRYING_STATUSES = (BatchStatus.PENDING, BatchStatus.DELIVERING, BatchStatus.DELIVERED)


def records_reportable(item: Item) -> QuerySet:
    """The item's typed records that the platform should have: approved (已通过) ones."""
    return model_for_item(item.no).objects.filter(item=item, status=RecordStatus.APPROVED)


def current_version_carried() -> Exists:
    """For a record queryset: a live batch carries the record's current version."""
    return Exists(
        BatchRecord.objects.filter(
            record=OuterRef("pk"), record_version=OuterRef("version"), batch__status__in=CARRYING_STATUSES
        )
    )


def records_awaiting_delivery(item: Item) -> QuerySet:
    """Approved records whose current version no live batch carries: newly approved or changed since last delivered."""
    return records_reportable(item).exclude(current_version_carried())


def batches_for(user) -> QuerySet[ExportBatch]:
    return ExportBatch.objects.restrict(user).select_related("item", "created_by", "delivered_by")


def batches_to_dispatch() -> QuerySet[ExportBatch]:
    """Batches still waiting for their delivery (a lost task message, a retry chain cut short)."""
    return ExportBatch.objects.filter(status__in=[BatchStatus.PENDING, BatchStatus.DELIVERING])
