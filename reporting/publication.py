"""What reporting tells credit about the licensing decisions (行政许可) for oversight's 迟报率
(``credit.publication_sources``): each decision's date, when the column first made it public, and when a municipal
batch carrying it was first delivered. Reporting is the app that knows both (it reads the column's decisions and
keeps the batches)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator

from django.db.models import Min, Q

from credit.publication_sources import PublicationFact, register_publication_source
from publicity.models.licences import LicenceDecision, LicenceStatus
from reporting.models import BatchFormat, BatchStatus

# Approved at least once: a draft, a submitted or a returned decision is no decision the public is owed yet.
_DECIDED = (LicenceStatus.APPROVED, LicenceStatus.REVOKED)


def licence_publication_facts(
    start: datetime.date, end: datetime.date, office_ids: Collection[int]
) -> Iterator[PublicationFact]:
    delivered = Min(
        "batch_links__batch__delivered_at",
        filter=Q(
            batch_links__batch__status=BatchStatus.DELIVERED,
            batch_links__batch__format=BatchFormat.LICENCE_MUNICIPAL,
        ),
    )
    rows = (
        LicenceDecision.objects.filter(office_id__in=office_ids, jdrq__gte=start, jdrq__lte=end, status__in=_DECIDED)
        .order_by()
        .values("pk")
        .annotate(delivered=delivered)
        .values_list("office_id", "jdrq", "published_at", "delivered")
    )
    for office_id, decided, published_at, delivered_at in rows:
        yield PublicationFact(
            office_id=office_id, decision_date=decided, published_at=published_at, delivered_at=delivered_at
        )


def register() -> None:
    register_publication_source(name="licences", source=licence_publication_facts)
