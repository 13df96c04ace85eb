"""django-celery-beat's admin (the report schedules and periodic tasks) in Chinese.

The package translates most of its labels (its zh_Hans catalogue, with the gaps filled in the project's), but hard-codes
a few: the crontab's readable description (cron-descriptor, asked in English and naming months and weekdays through
the C locale), the "Scheduler" column, the boolean icons' alt text "True"/"False". These subclasses give them in
Chinese; permissions are the package's (the system admin's, see ``accounts.roles``).
"""

import calendar
import re

from celery import schedules
from celery.schedules import ParseException
from cron_descriptor import ExpressionDescriptor, Options
from cron_descriptor.Exception import FormatException, MissingFieldException, WrongArgumentException
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask, cronexp

from core.admin_display import yes_no

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
# The English month and weekday names cron-descriptor takes from the C locale, to their Chinese.
_CALENDAR_NAMES = {calendar.month_name[n]: f"{n}月" for n in range(1, 13)} | {
    calendar.day_name[n]: WEEKDAYS[n] for n in range(7)
}
_CALENDAR_WORD = re.compile(r"\b(%s)\b" % "|".join(_CALENDAR_NAMES))


def crontab_expression(crontab) -> str:
    """The five-field expression of a crontab schedule, weekday names as numbers (as django-celery-beat builds it)."""
    try:
        parsed = schedules.crontab(
            minute=crontab.minute,
            hour=crontab.hour,
            day_of_week=crontab.day_of_week,
            day_of_month=crontab.day_of_month,
            month_of_year=crontab.month_of_year,
        )
        if parsed.day_of_week and set(parsed.day_of_week) == set(range(7)):
            day_of_week = "*"
        else:
            day_of_week = cronexp(",".join(map(str, parsed.day_of_week)))
    except ValueError:
        day_of_week = cronexp(crontab.day_of_week)
    fields = (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year)
    return " ".join([*(cronexp(field) for field in fields), day_of_week])


def crontab_description(crontab) -> str:
    """The crontab in words, in Chinese ("在 03:30, 每月的 1 号 Asia/Shanghai"); the expression if it has none.

    Raises ParseException or ValueError for an expression celery cannot parse (as ``human_readable`` does)."""
    expression = crontab_expression(crontab)
    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    try:
        words = ExpressionDescriptor(expression, options).get_description()
    except (MissingFieldException, FormatException, WrongArgumentException):
        words = expression
    words = _CALENDAR_WORD.sub(lambda m: _CALENDAR_NAMES[m.group(1)], words)
    return f"{words} {crontab.timezone}"


class PortalPeriodicTaskAdmin(PeriodicTaskAdmin):
    list_display = ("name", "enabled_shown", "schedule_shown", "start_time", "last_run_at", "one_off_shown")
    readonly_fields = ("last_run_at", "crontab_translation")

    @admin.display(description=_("已启用"), ordering="enabled")
    def enabled_shown(self, obj) -> str:
        return yes_no(obj.enabled)

    @admin.display(description=_("仅运行一次"), ordering="one_off")
    def one_off_shown(self, obj) -> str:
        return yes_no(obj.one_off)

    @admin.display(description=_("计划"))
    def schedule_shown(self, obj) -> str:
        return str(obj.scheduler) if obj.scheduler is not None else "-"

    @admin.display(description=_("定时表达式说明"))
    def crontab_translation(self, obj) -> str:
        if obj is None or obj.crontab is None:
            return "-"
        try:
            return crontab_description(obj.crontab)
        except (ParseException, ValueError):
            return _("（表达式无效）")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The package's view puts each crontab's English description in the page (shown by its script when a crontab
        # is picked); the Chinese ones instead.
        readable = {}
        for crontab in CrontabSchedule.objects.all():
            try:
                readable[crontab.id] = crontab_description(crontab)
            except (ParseException, ValueError):
                readable[crontab.id] = str(_("（表达式无效）"))
        extra_context = {**(extra_context or {}), "readable_crontabs": readable}
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


# The package's own admin, registered before this module is imported, is replaced.
admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PortalPeriodicTaskAdmin)
