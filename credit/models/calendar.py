"""The official working-day calendar: holidays and adjusted working days (调休), maintained by the system admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休工作日")


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday rule: a holiday, or a weekend day worked in exchange (调休).

    A year is *known* once any of its days is stored; for an unknown year deadlines fall back to Monday–Friday and
    are marked provisional (暂定).
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
