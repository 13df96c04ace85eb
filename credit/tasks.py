"""Celery tasks of the credit app. Bodies are services; the tasks only schedule them (beat: see migration 0005, and
reporting's migrations, which seeded the daily expiry)."""

from celery import shared_task
from django.db import OperationalError

from credit.services.notices import reminders_send
from credit.services.records import records_expire


@shared_task(name="credit.tasks.send_record_reminders")
def send_record_reminders(days: int | None = None) -> dict:
    """Daily: notify records due within ``days`` working days (default: the ``REMINDER_WORKING_DAYS`` setting) and
    records overdue, each notice once."""
    result = reminders_send(days=days)
    return {"created": result.created, "emailed": result.emailed, "mails": result.mails}


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_records(self) -> int:
    """Daily: approved records past their validity end (and so their publicity period) become expired."""
    return records_expire()
