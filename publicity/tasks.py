"""Scheduled jobs of the column (Celery beat: see the data migration that registers them)."""

from celery import shared_task

from publicity.services.period_end import publications_end


@shared_task(name="publicity.end_publications")
def end_publications() -> dict[str, int]:
    """Daily: publications past their end leave the column (the queries already hide them) and are marked ended;
    revoked or expired records' publications are withdrawn and a correction is queued."""
    return publications_end()
