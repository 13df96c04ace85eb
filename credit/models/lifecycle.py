"""The review lifecycle's own records: transition events, pending changes to approved records, and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Decided
from credit.fields import PersonalDataJSONField
from credit.models.records import Record, RecordStatus


class EventAction(models.TextChoices):
    CREATE = "create", _("创建")
    EDIT = "edit", _("修改")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回提交")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回")
    REVOKE = "revoke", _("撤销")
    EXPIRE = "expire", _("过期")
    CHANGE_PROPOSE = "change_propose", _("提出变更")
    CHANGE_APPROVE = "change_approve", _("变更通过")
    CHANGE_RETURN = "change_return", _("变更退回")
    CHANGE_WITHDRAW = "change_withdraw", _("变更撤回")
    # Written by the calendar service when a calendar change moves the record's due date (old and new in reason).
    DUE_DATE = "due_date", _("截止日期调整")


class RecordEvent(models.Model):
    """One step of a record's lifecycle (who, when, from which status to which, why). Written by the services only."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="events", verbose_name=_("信用记录"))
    action = models.CharField(_("操作"), max_length=20, choices=EventAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=RecordStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=RecordStatus.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("理由"), blank=True)
    change = models.ForeignKey(
        "RecordChange",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("变更申请"),
    )

    class Meta:
        verbose_name = _("记录流转事件")
        verbose_name_plural = _("记录流转事件")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["record", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.record_id}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class RecordChange(Decided):
    """A proposed change to an approved record, reviewed like a submission while the approved version stays in force.

    ``values`` holds the proposed field values by field key, as validated by the item's form when proposed; approving
    the change validates them again against the record and applies them, returning it leaves the record untouched.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="changes", verbose_name=_("信用记录"))
    values = PersonalDataJSONField(_("变更后的值"))
    base_version = models.PositiveIntegerField(_("基于版本"))
    status = models.CharField(_("状态"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    note = models.TextField(_("变更说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    # A change is returned or withdrawn, never revoked: its own label for the reason.
    decision_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("记录变更申请")
        verbose_name_plural = _("记录变更申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="pending"), name="recordchange_one_pending_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.get_status_display()}"


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    # A calendar change (holiday added, 调休, a year made official) moved the record's due date.
    DUE_DATE_CHANGED = "due_changed", _("截止日期调整")


# The reminders sent once per record; a due-date change may be announced each time it happens.
ONCE_PER_RECORD_KINDS = (NoticeKind.DUE_SOON, NoticeKind.OVERDUE)


class Notice(models.Model):
    """A reminder about one record: before its due date, once it is overdue (each once), or that its due date moved."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="notices", verbose_name=_("信用记录"))
    office = models.ForeignKey(
        "credit.Office", on_delete=models.CASCADE, related_name="notices", verbose_name=_("报送处室")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=NoticeKind.choices)
    due_date = models.DateField(_("报送截止日期"))
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    emailed_to = models.TextField(_("邮件收件人"), blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind"],
                condition=Q(kind__in=ONCE_PER_RECORD_KINDS),
                name="notice_once_per_record_and_kind",
            )
        ]
        indexes = [
            # The reminders' last run of a kind (where the next looks for new overdue records) and the notices not
            # yet e-mailed: both found without reading every notice ever sent.
            models.Index(fields=["kind", "-created_at"], name="notice_kind_new"),
            # The newest notices of an office (a clerk's dashboard and notices page) and of all (a reviewer's).
            models.Index(fields=["office", "-created_at", "-id"], name="notice_office_new"),
            models.Index(fields=["-created_at", "-id"], name="notice_new"),
            models.Index(fields=["office", "id"], condition=Q(emailed_at__isnull=True), name="notice_unsent"),
        ]

    def __str__(self) -> str:
        return self.message
