"""Celery tasks of the credit app. Bodies are services; the tasks only schedule them (beat: see migration 0005)."""

from celery import shared_task

from credit.services.notices import reminders_send, semiannual_reminders_send


@shared_task(name="credit.tasks.send_record_reminders")
def send_record_reminders(days: int | None = None) -> dict:
    """Daily: notify records due within ``days`` working days (default: the ``REMINDER_WORKING_DAYS`` setting) and
    records overdue, each notice once."""
    result = reminders_send(days=days)
    return {"created": result.created, "emailed": result.emailed, "mails": result.mails}


@shared_task(name="credit.tasks.send_semiannual_reminders")
def send_semiannual_reminders(days: int | None = None) -> dict:
    """Daily: remind the offices that owe a semiannual (一年两次) report for a period ending within ``days`` working
    days (default ``REMINDER_WORKING_DAYS``) or just ended, each notice once (beat: reporting migration 0006)."""
    result = semiannual_reminders_send(days=days)
    return {"created": result.created, "emailed": result.emailed, "mails": result.mails}
