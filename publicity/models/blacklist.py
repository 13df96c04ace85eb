"""黑名单: explicit listing decisions by a reviewer on a subject with serious dishonesty. Nothing is listed
automatically: an entry exists only because a reviewer decided it, referencing the subject's 失信 records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit.models import Record, Subject
from publicity.models.base import PublicEntryColumns


class BlackListStatus(models.TextChoices):
    LISTED = "listed", _("列入")
    REMOVED = "removed", _("已移出")


class BlackListEntry(PublicEntryColumns):
    """A subject's listing on the 黑名单: legal basis, decision number, listing date, removal conditions, end date and
    the date the subject was notified beforehand. Public from ``listed_on`` to ``end_date`` unless removed."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="blacklist_entries", verbose_name=_("信用主体")
    )
    records = models.ManyToManyField(Record, related_name="blacklist_entries", verbose_name=_("所依据的失信记录"))
    reason = models.TextField(_("列入事由"), max_length=4000)
    legal_basis = models.TextField(_("列入依据"), max_length=4000)
    decision_date = models.DateField(_("认定日期"))
    listed_on = models.DateField(_("列入日期"))
    removal_conditions = models.TextField(_("移出条件"), max_length=4000)
    end_date = models.DateField(_("列入截止日期"))
    notified_on = models.DateField(_("事先告知日期"))
    authority = models.CharField(_("认定机关"), max_length=200, default=settings.BUREAU_NAME)
    status = models.CharField(_("状态"), max_length=10, choices=BlackListStatus.choices, default=BlackListStatus.LISTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人")
    )
    created_at = models.DateTimeField(_("决定时间"), default=timezone.now)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removed_reason = models.TextField(_("移出原因"), blank=True)

    history = HistoricalRecords()

    PUBLIC_TEXT_FIELDS = (
        *PublicEntryColumns.PUBLIC_TEXT_FIELDS,
        *("reason", "legal_basis", "removal_conditions", "authority"),
    )

    class Meta:
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="black_status_id"),
            models.Index(fields=["public_code", "subject_kind"], name="black_code"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.document_number}"
