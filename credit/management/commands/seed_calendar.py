"""``manage.py seed_calendar [--overwrite]``: (re-)seed the working-day calendar from the chinesecalendar package.

Run it after upgrading chinesecalendar to pick up a newly published year. Idempotent; dates already stored are kept
as they are (they may be the system admin's corrections) unless ``--overwrite`` is given. The years chinesecalendar
covers are marked official (``CalendarYear.complete``): the package transcribes each year's whole notice. Afterwards
the due dates the changes can move are recomputed.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from credit.models import CalendarDay, CalendarYear
from credit.services.calendar import (
    CHINESECALENDAR_NOTICE,
    calendar_days_changed,
    chinesecalendar_days,
    due_dates_recompute,
)


class Command(BaseCommand):
    help = "从 chinesecalendar 补录节假日与调休工作日（不覆盖已有日期，除非 --overwrite），确认这些年度为正式，并重新计算受影响的截止日期。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="用 chinesecalendar 的数据覆盖已存储但不一致的日期（包括人工修改过的）",
        )

    @transaction.atomic
    def handle(self, *args, overwrite: bool = False, **options):
        existing = {day.date: day for day in CalendarDay.objects.all()}
        years: set[int] = set()
        to_create: list[CalendarDay] = []
        to_update: list[CalendarDay] = []
        kept: list[CalendarDay] = []
        for date, kind, name in chinesecalendar_days():
            years.add(date.year)
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
        official = set(CalendarYear.objects.filter(year__in=years, complete=True).values_list("year", flat=True))
        new_years = sorted(years - official)
        for year in new_years:
            CalendarYear.objects.update_or_create(
                year=year, defaults={"complete": True, "notice": CHINESECALENDAR_NOTICE}
            )
        result = calendar_days_changed(dates=[d.date for d in to_create + to_update])
        recomputed = result.updated
        if new_years:
            recomputed += due_dates_recompute(
                first=datetime.date(new_years[0], 1, 1), last=datetime.date(new_years[-1], 12, 31)
            ).updated

        for day in kept:
            self.stdout.write(f"保留已有数据（与 chinesecalendar 不同）：{day}")
        self.stdout.write(
            self.style.SUCCESS(
                f"新增 {len(to_create)} 天，覆盖 {len(to_update)} 天，保留不同 {len(kept)} 天；"
                f"确认 {len(new_years)} 个年度为正式；"
                f"重新计算 {recomputed} 条截止日期。"
            )
        )
