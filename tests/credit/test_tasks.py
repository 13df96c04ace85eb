"""Reminders: the daily task notices records due soon and overdue, in the workspace and by e-mail, each once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from credit.models import Notice, NoticeKind
from credit.services.calendar import due_date_for
from credit.tasks import send_record_reminders
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def _day_due_soon(today: datetime.date) -> datetime.date:
    """A business date whose seven-working-day deadline falls within the next three working days."""
    day = today
    while due_date_for(day, 7).due > due_date_for(today, 3).due:
        day -= datetime.timedelta(days=1)
    return day


def test_reminders_are_sent_once_each(clerk):
    today = timezone.localdate()
    soon = create_record(8, clerk, day=_day_due_soon(today))
    overdue = create_record(8, clerk, day=today - datetime.timedelta(days=60))
    create_record(8, clerk, day=today - datetime.timedelta(days=60), status="submitted")  # submitted: no reminder
    create_record(8, clerk, day=today)  # due in seven working days: not yet

    result = send_record_reminders.delay().get()
    assert result == {"created": 2, "emailed": 2, "mails": 1}
    assert set(Notice.objects.values_list("record_id", "kind")) == {
        (soon.pk, NoticeKind.DUE_SOON),
        (overdue.pk, NoticeKind.OVERDUE),
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [clerk.email]
    assert f"#{soon.pk}" in message.body and f"#{overdue.pk}" in message.body
    assert "组人处" in message.subject

    assert send_record_reminders() == {"created": 0, "emailed": 0, "mails": 0}
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 2


def test_due_soon_then_overdue_are_two_notices(clerk):
    today = timezone.localdate()
    record = create_record(8, clerk, day=_day_due_soon(today))
    send_record_reminders()
    later = record.due_date + datetime.timedelta(days=1)
    from credit.services.notices import reminders_send

    assert reminders_send(today=later).created == 1
    assert set(Notice.objects.filter(record=record).values_list("kind", flat=True)) == {"due_soon", "overdue"}
    assert len(mail.outbox) == 2


def test_office_without_addresses_keeps_notice_for_later(clerk):
    clerk.email = ""
    clerk.save()
    create_record(8, clerk, day=timezone.localdate() - datetime.timedelta(days=60))
    assert send_record_reminders()["mails"] == 0
    assert Notice.objects.get().emailed_at is None
    clerk.email = "zuren@jyj.nc.gov.cn"
    clerk.save()
    assert send_record_reminders() == {"created": 0, "emailed": 1, "mails": 1}
    assert len(mail.outbox) == 1


def test_notices_shown_in_workspace(client, clerk, clerk_out):
    record = create_record(8, clerk, day=timezone.localdate() - datetime.timedelta(days=60))
    send_record_reminders()
    client.force_login(clerk)
    html = client.get("/workspace/notices/").content.decode()
    assert f"#{record.pk}" in html and "已超过报送截止日期" in html
    assert f"#{record.pk}" in client.get("/workspace/").content.decode()
    client.force_login(clerk_out)
    assert f"#{record.pk}" not in client.get("/workspace/notices/").content.decode()


def test_task_registered_in_beat_daily_at_8_beijing_time():
    task = PeriodicTask.objects.get(task="credit.tasks.send_record_reminders")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("8", "0", "Asia/Shanghai")


def test_a_record_returned_after_the_last_run_gets_its_overdue_notice(clerk, reviewer):
    # The overdue reminders look only at what is new since their last run (credit.services.notices.overdue_candidates):
    # a record long past its due date that was submitted then and returned since is among it.
    from credit.services.records import record_return

    today = timezone.localdate()
    first = create_record(8, clerk, day=today - datetime.timedelta(days=90))  # overdue draft: reminded now
    returned = create_record(8, clerk, day=today - datetime.timedelta(days=60), status="submitted")
    send_record_reminders()
    assert set(Notice.objects.values_list("record_id", flat=True)) == {first.pk}
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))  # that run was two days ago

    record_return(record=returned, user=reviewer, reason="材料不全")
    assert send_record_reminders()["created"] == 1
    assert Notice.objects.filter(record=returned, kind=NoticeKind.OVERDUE).exists()
