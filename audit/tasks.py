"""Celery task of the audit app: the daily retention purge (scheduled by migration 0002, editable in the admin)."""

from celery import shared_task

from audit.services import audit_purge


@shared_task(name="audit.purge")
def audit_purge_task() -> int:
    return audit_purge()
