"""Beat entries follow the settings: the semiannual delivery from SEMIANNUAL_DUE_DATES, reminders' working days."""

import io
import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from credit.catalog import ItemSpec
from reporting.schedules import semiannual_crontab, semiannual_task_name

pytestmark = pytest.mark.django_db


def _crontab(task: PeriodicTask) -> tuple[str, str, str, str]:
    c = task.crontab
    return c.minute, c.hour, c.day_of_month, c.month_of_year


def test_seeded_semiannual_delivery_is_ten_days_before_the_configured_due_dates():
    task = PeriodicTask.objects.get(task="reporting.tasks.deliver_semiannual")
    assert _crontab(task) == ("0", "2", "20", "6,12")  # 30 June / 31 December, ten days ahead of the earliest day
    assert "6 月 30 日、12 月 31 日" in task.description


def test_rule_derives_day_and_months_from_the_due_dates(settings):
    assert semiannual_crontab([(3, 31), (9, 30)], 10)["day_of_month"] == "20"
    assert semiannual_crontab([(3, 31), (9, 30)], 10)["month_of_year"] == "3,9"
    assert semiannual_crontab([(6, 5), (12, 5)], 10)["day_of_month"] == "1"  # never before the 1st


def test_changed_due_dates_move_the_schedule_with_the_command(settings):
    settings.SEMIANNUAL_DUE_DATES = [(3, 31), (9, 30)]
    settings.REPORTING_SEMIANNUAL_LEAD_DAYS = 15
    call_command("sync_semiannual_schedule", stdout=io.StringIO())
    task = PeriodicTask.objects.get(name=semiannual_task_name(ItemSpec.get(1)))
    assert _crontab(task) == ("0", "2", "15", "3,9")
    assert json.loads(task.kwargs) == {"item_no": 1}  # the entry delivers its own item
    assert PeriodicTask.objects.filter(task="reporting.tasks.deliver_semiannual").count() == 1


def test_reminder_beat_entries_take_the_working_days_from_the_setting():
    record_reminders = PeriodicTask.objects.get(task="credit.tasks.send_record_reminders")
    assert json.loads(record_reminders.kwargs) == {}  # no fixed days: the task reads REMINDER_WORKING_DAYS
    semiannual = PeriodicTask.objects.get(task="reporting.tasks.send_semiannual_reminders")
    assert semiannual.enabled and json.loads(semiannual.kwargs or "{}") == {}
