"""Celery tasks of the vetting app: the nightly credit evaluation (beat: migration 0006)."""

from celery import shared_task

from vetting.services.evaluations import evaluations_compute


@shared_task(name="vetting.tasks.recompute_evaluations")
def recompute_evaluations() -> int:
    """Nightly: every organisation's credit evaluation, so windows that close without a change are reflected."""
    return evaluations_compute()
