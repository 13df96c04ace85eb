"""The official working-day calendar: holidays and adjusted working days (调休), maintained by the system admin."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from credit.validators import EARLIEST_DATE

# The dates the calendar holds, and the business dates the due-date API answers for: from the earliest credit record
# to well past the years any notice is known for (later years are provisional Monday–Friday). Beyond them a date is a
# typo; 9999 would also break the admin's date hierarchy, which cannot bound the year after it.
CALENDAR_DATE_MIN = EARLIEST_DATE
CALENDAR_DATE_MAX = datetime.date(2100, 12, 31)


def validate_calendar_date(value: datetime.date) -> None:
    """A calendar date between ``CALENDAR_DATE_MIN`` and ``CALENDAR_DATE_MAX``."""
    if not CALENDAR_DATE_MIN <= value <= CALENDAR_DATE_MAX:
        raise ValidationError(
            _("日期应在 %(min)s 至 %(max)s 之间。"),
            code="calendar_date_range",
            params={"min": CALENDAR_DATE_MIN.isoformat(), "max": CALENDAR_DATE_MAX.isoformat()},
        )


def validate_calendar_year(value: int) -> None:
    """A year of the calendar's dates (``CALENDAR_DATE_MIN`` to ``CALENDAR_DATE_MAX``)."""
    if not CALENDAR_DATE_MIN.year <= value <= CALENDAR_DATE_MAX.year:
        raise ValidationError(
            _("年度应在 %(min)s 至 %(max)s 之间。"),
            code="calendar_year_range",
            params={"min": CALENDAR_DATE_MIN.year, "max": CALENDAR_DATE_MAX.year},
        )


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休工作日")


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday rule: a holiday, or a weekend day worked in exchange (调休).

    Storing a day does not make its year official: that is ``CalendarYear.complete``, set by the system admin once
    the whole notice is entered. Until then the year's deadlines are provisional (暂定) and its statutory holidays
    are computed (``credit.services.calendar.statutory_holidays``) where no day is stored.
    """

    date = models.DateField(_("日期"), unique=True, validators=[validate_calendar_date])
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose official arrangement (国务院办公厅 放假安排通知) the system admin has entered completely.

    Only a complete year counts as official: its stored days are the whole truth and its due dates are final. A year
    without a complete row is provisional, whatever days of it are stored.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=[validate_calendar_year])
    complete = models.BooleanField(_("已按通知录入完整"), default=False)
    notice = models.CharField(_("放假安排通知"), max_length=200, blank=True, help_text=_("例如 国办发明电〔2025〕7号"))
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {_('已确认') if self.complete else _('暂定')}"
