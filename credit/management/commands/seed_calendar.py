"""``manage.py seed_calendar [--overwrite]``: (re-)seed the working-day calendar from the chinesecalendar package.

Run it after upgrading chinesecalendar to pick up a newly published year. Idempotent; dates already stored are kept
as they are (they may be the system admin's corrections) unless ``--overwrite`` is given. Afterwards every
provisional due date is recomputed.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from credit.models import CalendarDay
from credit.services.calendar import chinesecalendar_days, recompute_provisional_due_dates


class Command(BaseCommand):
    help = "从 chinesecalendar 补录节假日与调休工作日（不覆盖已有日期，除非 --overwrite），并重新计算暂定截止日期。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用 chinesecalendar 的数据覆盖已存储但不一致的日期（包括人工修改过的）",
        )

    @transaction.atomic
    def handle(self, *args, overwrite: bool = False, **options):
        existing = {day.date: day for day in CalendarDay.objects.all()}
        to_create: list[CalendarDay] = []
        to_update: list[CalendarDay] = []
        kept: list[CalendarDay] = []
        for date, kind, name in chinesecalendar_days():
            stored = existing.get(date)
            if stored is None:
                to_create.append(CalendarDay(date=date, kind=kind, name=name))
            elif (stored.kind, stored.name) != (kind, name):
                if overwrite:
                    stored.kind, stored.name = kind, name
                    to_update.append(stored)
                else:
                    kept.append(stored)
        CalendarDay.objects.bulk_create(to_create)
        CalendarDay.objects.bulk_update(to_update, ["kind", "name"])
        recomputed = recompute_provisional_due_dates()

        for day in kept:
            self.stdout.write(f"保留已有数据（与 chinesecalendar 不同）：{day}")
        self.stdout.write(
            self.style.SUCCESS(
                f"新增 {len(to_create)} 天，覆盖 {len(to_update)} 天，保留不同 {len(kept)} 天；"
                f"重新计算 {recomputed} 条暂定截止日期。"
            )
        )
