"""When a record was first made public and first delivered to the municipal platform: facts credit owns, so that the
apps that measure them (oversight's 迟报率) need not import the apps that act on them (publicity, reporting).

Publicity calls ``record_mark_published`` when it publishes; reporting calls ``records_mark_delivered`` when a batch
is delivered. Each fact is written once (the first time), with a queryset ``update`` (no history row, no
``record_changed``: the record's content did not change), and announced (``credit.signals``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from credit.models import Record
from credit.signals import record_published, records_delivered


@transaction.atomic
def record_mark_published(*, record: Record, at: datetime.datetime | None = None) -> bool:
    """Note that ``record`` is public since ``at`` (default now) unless it was public before; True when noted now."""
    at = at or timezone.now()
    if not Record.objects.filter(pk=record.pk, first_published_at__isnull=True).update(first_published_at=at):
        return False
    record.first_published_at = at
    record_published.send(sender=type(record), record=record, at=at)
    return True


@transaction.atomic
def records_mark_delivered(*, record_ids: Iterable[int], at: datetime.datetime | None = None) -> list[int]:
    """Note that the records ``record_ids`` reached the municipal platform at ``at`` (default now), for those not
    delivered before; returns their ids."""
    at = at or timezone.now()
    ids = list(
        Record.objects.filter(pk__in=list(record_ids), first_delivered_at__isnull=True)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if ids:
        Record.objects.filter(pk__in=ids).update(first_delivered_at=at)
        records_delivered.send(sender=Record, record_ids=ids, at=at)
    return ids
