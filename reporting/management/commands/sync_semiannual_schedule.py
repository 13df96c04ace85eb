"""Re-derive the semiannual delivery's beat entry from SEMIANNUAL_DUE_DATES and REPORTING_SEMIANNUAL_LEAD_DAYS."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from reporting.schedules import semiannual_crontab, semiannual_items, semiannual_schedule_sync, semiannual_task_name


class Command(BaseCommand):
    help = (
        "按 SEMIANNUAL_DUE_DATES 与 REPORTING_SEMIANNUAL_LEAD_DAYS 重新生成半年报送的定时任务（覆盖管理后台中的修改）。"
    )

    def handle(self, *args, **options):
        changed = semiannual_schedule_sync(CrontabSchedule, PeriodicTask)
        fields = semiannual_crontab()
        when = f"{fields['month_of_year']} 月 {fields['day_of_month']} 日 {int(fields['hour']):02d}:00"
        verb = "已更新" if changed else "无需更新"
        names = "、".join(semiannual_task_name(item) for item in semiannual_items())
        self.stdout.write(self.style.SUCCESS(f"{verb}：{names}（每年 {when}）。"))
