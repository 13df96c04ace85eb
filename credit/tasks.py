"""Celery tasks of the credit app. Bodies are services; the tasks only schedule them (beat: see migration 0005)."""

from celery import shared_task

from credit.services.notices import reminders_send


@shared_task(name="credit.tasks.send_record_reminders")
def send_record_reminders(days: int = 3) -> dict:
    """Daily: notify records due within ``days`` working days and records overdue, each notice once."""
    result = reminders_send(days=days)
    return {"created": result.created, "emailed": result.emailed, "mails": result.mails}
