"""Licensing (行政许可) and black-list (黑名单) decisions to the municipal platform (Annex 2 indicator 3): on the
daily schedule and through the transport of the Annex 1 batches, each decision once.

Licences go in the national 双公示 licensing columns; the black list has no national 双公示 format, so its batch has the
decision's own columns (``BlackListExporter``). The ledger lines (``BatchDecision``) are written in the transaction
that creates the batch, under the lock every batch selection takes: a second run, concurrent or later, finds the
decisions carried and creates nothing. A decision corrected or withdrawn later reaches the platform through the
corrections batch (``CorrectionNotice``), as before.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from credit.models import Item
from publicity.models.blacklist import BlackListEntry, BlackListStatus
from publicity.models.licences import LicenceDecision, LicenceStatus
from reporting.exporters import BlackListExporter, DoublePublicityLicenceExporter
from reporting.models import BatchDecision, BatchFormat, BatchKind, ExportBatch
from reporting.selectors import CARRYING_STATUSES
from reporting.services.batches import batch_export_audit, batch_file_store


def _carried(field: str) -> Exists:
    return Exists(
        BatchDecision.objects.filter(
            **{field: OuterRef("pk")},
            batch__status__in=CARRYING_STATUSES,
            batch__format__in=(BatchFormat.LICENCE_MUNICIPAL, BatchFormat.BLACKLIST),
        )
    )


def licences_awaiting_delivery() -> QuerySet[LicenceDecision]:
    """Approved licensing decisions no live municipal batch carries yet."""
    return LicenceDecision.objects.filter(status=LicenceStatus.APPROVED).exclude(_carried("licence"))


def blacklist_awaiting_delivery() -> QuerySet[BlackListEntry]:
    """Black-list listings no live municipal batch carries yet."""
    return BlackListEntry.objects.filter(status=BlackListStatus.LISTED).exclude(_carried("blacklist_entry"))


def _create(*, format: str, field: str, ids: list[int], exporter, user, scope: str) -> ExportBatch:
    batch = ExportBatch.objects.create(
        item=None, kind=BatchKind.INCREMENTAL, format=format, scope=scope, created_by=user, row_count=len(ids)
    )
    BatchDecision.objects.bulk_create(
        [BatchDecision(batch=batch, **{f"{field}_id": pk}) for pk in ids], batch_size=2000
    )
    batch_file_store(batch, exporter)
    batch_export_audit(batch, user=user)
    return batch


@transaction.atomic
def decision_batches_create(*, user=None) -> list[ExportBatch]:
    """The day's licence batch and black-list batch (each only when there is something new); the caller dispatches."""
    # Same lock as every other batch selection: a decision approved meanwhile is in this batch or the next, whole.
    list(Item.objects.select_for_update().order_by("pk").values_list("pk", flat=True)[:1])
    created = []
    licences = list(licences_awaiting_delivery().order_by("pk").values_list("pk", flat=True))
    if licences:
        exporter = DoublePublicityLicenceExporter(LicenceDecision.objects.filter(pk__in=licences))
        created.append(
            _create(
                format=BatchFormat.LICENCE_MUNICIPAL,
                field="licence",
                ids=licences,
                exporter=exporter,
                user=user,
                scope="每日增量（行政许可）",
            )
        )
    entries = list(blacklist_awaiting_delivery().order_by("pk").values_list("pk", flat=True))
    if entries:
        exporter = BlackListExporter(BlackListEntry.objects.filter(pk__in=entries))
        created.append(
            _create(
                format=BatchFormat.BLACKLIST,
                field="blacklist_entry",
                ids=entries,
                exporter=exporter,
                user=user,
                scope="每日增量（黑名单）",
            )
        )
    return created
