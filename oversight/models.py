"""Oversight (考核与通报): Annex 2's indicators with progress evidence, and the work bulletins (工作通报)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.scoping import ALL, ANY, ScopedQuerySet
from credit.models import Office
from oversight.validators import validate_attachment


def _indicators_of_offices(queryset: models.QuerySet, user) -> models.QuerySet:
    # Through IndicatorOffice, as a subquery: a join on the many-to-many would repeat an indicator per office.
    return queryset.filter(pk__in=IndicatorOffice.objects.filter(office__in=user.offices.all()).values("indicator"))


class IndicatorQuerySet(ScopedQuerySet):
    """Reviewers (the General Office) reach every indicator; a clerk sees, and reports progress on, those of their
    offices. Everything outside answers 404."""

    scope_rules = {
        Role.REVIEWER: {ANY: ALL},
        Role.CLERK: {"view": _indicators_of_offices, "progress": _indicators_of_offices},
    }


class IndicatorStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    RETURNED = "returned", _("已退回")


class Indicator(models.Model):
    """One of Annex 2's eight assessment indicators (考核指标) for one year, with its responsible offices."""

    year = models.PositiveSmallIntegerField(_("年度"))
    no = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("考核内容"))
    offices_text = models.CharField(_("责任处室（原文）"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    lead_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("牵头处室")
    )
    offices = models.ManyToManyField(
        Office, through="IndicatorOffice", related_name="indicators", verbose_name=_("责任处室")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=IndicatorStatus.choices, default=IndicatorStatus.IN_PROGRESS
    )
    status_comment = models.TextField(_("办公室意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()
    # Status decisions are kept, and so audited (audit.signals listens to the history of every tracked model).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["-year", "no"]
        constraints = [models.UniqueConstraint(fields=["year", "no"], name="indicator_unique_year_no")]

    def __str__(self) -> str:
        return f"{self.year}-{self.no}. {self.text[:30]}"


class IndicatorRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    COOPERATING = "cooperating", _("配合")


class IndicatorOffice(models.Model):
    """An office's part in an indicator: lead (牵头, or jointly responsible where Annex 2 names no lead) or cooperating."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assignments")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="indicator_assignments")
    role = models.CharField(_("职责"), max_length=12, choices=IndicatorRole.choices)

    class Meta:
        verbose_name = _("指标责任处室")
        verbose_name_plural = _("指标责任处室")
        ordering = ["indicator", "-role", "office"]
        constraints = [models.UniqueConstraint(fields=["indicator", "office"], name="indicatoroffice_unique")]

    def __str__(self) -> str:
        return f"{self.office} ({self.get_role_display()})"


def _attachment_path(instance: ProgressEntry, filename: str) -> str:
    # A random name: the original is kept in ``attachment_name``; nothing user-supplied reaches the file system.
    return f"oversight/evidence/{instance.indicator.year}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ProgressEntry(models.Model):
    """Evidence of an office's work on an indicator (工作进展): a description, a link and/or an attached document."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="progress", verbose_name=_("考核指标")
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("处室"))
    text = models.TextField(_("工作进展"))
    link = models.URLField(_("链接"), blank=True, max_length=500)
    attachment = models.FileField(
        _("佐证材料"), upload_to=_attachment_path, blank=True, max_length=200, validators=[validate_attachment]
    )
    attachment_name = models.CharField(_("附件原文件名"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指标工作进展")
        verbose_name_plural = _("指标工作进展")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "at"])]

    def __str__(self) -> str:
        return f"{self.office}: {self.text[:30]}"


class IndicatorAction(models.TextChoices):
    PROGRESS = "progress", _("填报进展")
    COMPLETE = "complete", _("确认完成")
    RETURN = "return", _("退回")
    REOPEN = "reopen", _("重新打开")


class IndicatorEvent(models.Model):
    """One step in an indicator's history: progress reported, completion confirmed, sent back (with the comment)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=12, choices=IndicatorAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=IndicatorStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=IndicatorStatus.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("指标流转事件")
        verbose_name_plural = _("指标流转事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.indicator}"


class BulletinTrigger(models.TextChoices):
    MANUAL = "manual", _("手动生成")
    SCHEDULED = "scheduled", _("定时生成")


class Bulletin(models.Model):
    """A work bulletin (工作通报) for a month or quarter: a snapshot of the figures, and its .xlsx file.

    ``data`` holds the figures as computed at generation time, so the printable page and the workbook keep saying
    what was circulated even when records change later.
    """

    period = models.CharField(_("统计期间"), max_length=10)
    title = models.CharField(_("标题"), max_length=100)
    data = models.JSONField(_("数据"))
    file = models.FileField(_("Excel 文件"), upload_to="oversight/bulletins/%Y/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    trigger = models.CharField(_("生成方式"), max_length=12, choices=BulletinTrigger.choices)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
    )
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作通报")
        verbose_name_plural = _("工作通报")
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return self.title


__all__ = [
    "Bulletin",
    "BulletinTrigger",
    "Indicator",
    "IndicatorAction",
    "IndicatorEvent",
    "IndicatorOffice",
    "IndicatorRole",
    "IndicatorStatus",
    "ProgressEntry",
]


class NilReportQuerySet(ScopedQuerySet):
    """Clerks see and make their offices' nil reports; reviewers see every office's."""

    scope_rules = {Role.CLERK: {ANY: "office"}, Role.REVIEWER: {"view": ALL}}


class NilReport(models.Model):
    """零报告: an office confirms it had nothing to report for an item it owns in a month. Without records or a nil
    report the month counts as missing (缺报) in oversight."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="nil_reports", verbose_name=_("报送处室"))
    item = models.ForeignKey("credit.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("信用信息事项"))
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)

    objects = NilReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        ordering = ["-month", "office_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "item", "month"], name="nilreport_once_per_office_item_month")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.item_id}/{self.month:%Y-%m}"


class OfficeItemMonth(models.Model):
    """统计底表: the oversight figures of one office, item and month, kept up to date from the records
    (``oversight.aggregates``) so that the dashboard, office page, API and bulletin read a few rows per office instead
    of counting history. Each change to a record recounts the cells it touches from the records (never increments),
    and ``manage.py oversight_rebuild_aggregates`` recounts them all.

    Two months meet in a cell: the records **due** in the month (timeliness) and the records whose **business date**
    (for penalties the decision date) falls in it (completeness: reported or nil; 双公示 publication and delivery)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("报送处室"))
    item = models.ForeignKey("credit.Item", on_delete=models.CASCADE, related_name="+", verbose_name=_("信用信息事项"))
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    # Records due in the month (by due date), as in oversight.selectors.
    due = models.PositiveIntegerField(_("应报"), default=0)
    on_time = models.PositiveIntegerField(_("按时报送"), default=0)
    late = models.PositiveIntegerField(_("迟报"), default=0)
    unsubmitted = models.PositiveIntegerField(_("未报送"), default=0, help_text=_("逾期未报与未到期之和"))
    provisional = models.PositiveIntegerField(_("截止日期暂定"), default=0)
    # Records whose business date falls in the month.
    reported = models.PositiveIntegerField(_("已报送（按业务日期）"), default=0)
    nil = models.BooleanField(_("零报告"), default=False)
    published_on_time = models.PositiveIntegerField(_("按时公示"), default=0)
    published_late = models.PositiveIntegerField(_("公示迟报"), default=0)
    delivered_on_time = models.PositiveIntegerField(_("按时报送平台"), default=0)
    delivered_late = models.PositiveIntegerField(_("报送平台迟报"), default=0)

    COUNTS = (
        "due",
        "on_time",
        "late",
        "unsubmitted",
        "provisional",
        "reported",
        "nil",
        "published_on_time",
        "published_late",
        "delivered_on_time",
        "delivered_late",
    )

    class Meta:
        verbose_name = _("考核统计底表")
        verbose_name_plural = _("考核统计底表")
        constraints = [models.UniqueConstraint(fields=["office", "item", "month"], name="officeitemmonth_unique_cell")]
        indexes = [models.Index(fields=["month", "office"], name="officeitemmonth_month_office")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.item_id}/{self.month:%Y-%m}"

    def counts(self) -> dict:
        return {name: getattr(self, name) for name in self.COUNTS}


class CountedRecord(models.Model):
    """Where a record was last counted in ``OfficeItemMonth`` (its due month and business month): a change that moves
    a record to another month recounts the month it left as well as the one it joined."""

    record = models.OneToOneField(
        "credit.Record", on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    office_id_counted = models.PositiveIntegerField()
    item_id_counted = models.PositiveIntegerField()
    due_month = models.DateField()
    business_month = models.DateField()

    class Meta:
        verbose_name = _("统计底表记录位置")
        verbose_name_plural = _("统计底表记录位置")

    def __str__(self) -> str:
        return f"{self.record_id}: {self.due_month:%Y-%m}/{self.business_month:%Y-%m}"

    def cells(self) -> set[tuple[int, int, object]]:
        return {
            (self.office_id_counted, self.item_id_counted, self.due_month),
            (self.office_id_counted, self.item_id_counted, self.business_month),
        }
