"""Corrections batches (更正报送): what the platform already has but must change or take down.

Once a day the corrections the publicity side queued (``publicity.models.CorrectionNotice`` with no ``picked_up_at``:
an objection upheld, a repair granted, an entry withdrawn) and the records revoked since the platform received them
go into one ``correction`` batch, delivered like every other batch (same transport, same at-most-once claim).

Picking up is part of creating the batch: the notices get ``picked_up_at`` and the batch reference, and the revoked
records' current versions become ledger lines of the batch, in the same transaction that creates it. A second run,
concurrent or later, therefore finds nothing left to pick up and creates no batch.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from credit.models import Item, Record, RecordStatus
from credit.registry import model_for_item
from publicity.models.corrections import CorrectionNotice
from reporting.exporters import CorrectionExporter
from reporting.models import BatchFormat, BatchKind, BatchRecord, ExportBatch
from reporting.selectors import CARRYING_STATUSES, MUNICIPAL_FORMATS, current_version_carried, open_refusals
from reporting.services.batches import batch_create, batch_export_audit, batch_file_store


def corrections_pending() -> QuerySet[CorrectionNotice]:
    """Correction notices not yet carried by a batch, oldest first."""
    return CorrectionNotice.objects.filter(picked_up_at__isnull=True).order_by("created_at", "id")


def records_revoked_undelivered() -> QuerySet[Record]:
    """Revoked records the platform has (a live batch carried an earlier version) but whose revocation (the current
    version) no live batch has carried yet."""
    carried_before = BatchRecord.objects.filter(
        record=OuterRef("pk"), batch__status__in=CARRYING_STATUSES, batch__format__in=MUNICIPAL_FORMATS
    )
    return (
        Record.objects.filter(status=RecordStatus.REVOKED)
        .filter(Exists(carried_before))
        .exclude(current_version_carried())
        .order_by("pk")
    )


@transaction.atomic
def correction_batch_create(*, user=None, request=None) -> ExportBatch | None:
    """Pick up the pending corrections and undelivered revocations into one correction batch; None when there are none.

    The caller queues the delivery (``batches.dispatch``) once this has committed.
    """
    # Serialise with every other batch selection (batch_create locks its item): no record is picked twice.
    list(Item.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    notices = list(
        corrections_pending()
        .select_for_update(of=("self",))
        .select_related("publication", "licence", "blacklist_entry")
    )
    revoked = list(records_revoked_undelivered().values_list("pk", "version"))
    if not notices and not revoked:
        return None
    batch = ExportBatch.objects.create(
        item=None,
        kind=BatchKind.CORRECTION,
        format=BatchFormat.UPLOAD_TEMPLATE,
        scope="每日更正报送",
        created_by=user,
        row_count=len(notices) + len(revoked),
    )
    BatchRecord.objects.bulk_create(
        [BatchRecord(batch=batch, record_id=pk, record_version=v) for pk, v in revoked], batch_size=2000
    )
    batch_file_store(batch, CorrectionExporter(notices, Record.objects.filter(batch_links__batch=batch)))
    CorrectionNotice.objects.filter(pk__in=[n.pk for n in notices]).update(
        picked_up_at=timezone.now(), batch_reference=f"ExportBatch #{batch.pk}"
    )
    batch_export_audit(batch, user=user, request=request, notices=len(notices), revoked=len(revoked))
    return batch


def records_refused_fixed(item: Item) -> QuerySet:
    """The item's approved records the platform refused whose current version (the fix) is newer than the refused one
    and not carried by a live municipal batch yet: owed in the next 更正报送 batch."""
    fixed = open_refusals().filter(record=OuterRef("pk"), record_version__lt=OuterRef("version"))
    return (
        model_for_item(item.no)
        .objects.filter(item=item, status=RecordStatus.APPROVED)
        .filter(Exists(fixed))
        .exclude(current_version_carried())
    )


def refused_fixed_batches_create(*, user=None) -> list[ExportBatch]:
    """One 更正报送 batch per item of the fixed refused records (upload template of the item); the caller dispatches."""
    created = []
    for item in Item.objects.filter(Exists(open_refusals().filter(record__item=OuterRef("pk")))).order_by("no"):
        records = records_refused_fixed(item)
        if not records.exists():
            continue
        batch = batch_create(item=item, kind=BatchKind.CORRECTION, user=user, records=records, scope="问题数据更正")
        if batch is not None:
            created.append(batch)
    return created
