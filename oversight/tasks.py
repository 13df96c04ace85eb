"""Scheduled oversight work (Celery beat, schedule in django-celery-beat, editable in the admin)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from oversight.models import BulletinTrigger
from oversight.periods import previous_month


@shared_task(name="oversight.generate_monthly_bulletin")
def generate_monthly_bulletin() -> int:
    """At the start of each month: last month's work bulletin (工作通报). Returns the bulletin's id."""
    from oversight.services import bulletin_generate

    today = timezone.localdate()
    return bulletin_generate(period=previous_month(today), trigger=BulletinTrigger.SCHEDULED, today=today).pk


@shared_task(name="oversight.ensure_year_indicators")
def ensure_year_indicators() -> int:
    """On 1 January (and harmlessly any other day): the current year's Annex 2 indicators."""
    from oversight.services import ensure_indicators

    return ensure_indicators(timezone.localdate().year)


@shared_task(name="oversight.rebuild_aggregates")
def rebuild_aggregates() -> int:
    """Every night: the aggregates recounted from every record (``oversight_rebuild_aggregates``), catching a recount
    that failed after its transaction had committed (``oversight.aggregates.recount_after_commit``). Returns the
    number of cells."""
    from oversight.aggregates import aggregates_rebuild

    return aggregates_rebuild()
