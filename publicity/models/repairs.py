"""Credit-repair decisions made elsewhere (信用中国, 信用江西): entered by a reviewer or imported from their export, each
one withdraws the matching penalty from the column (``publicity.services.repairs``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from publicity.models.publications import Publication


class ExternalRepair(models.Model):
    """One repair decision of another platform on a penalty of the bureau, matched to its publication by the penalty
    decision number (and subject, when given)."""

    decision_number = models.CharField(_("行政处罚决定书文号"), max_length=100)
    subject = models.CharField(_("行政相对人名称或代码"), max_length=200, blank=True)
    repair_date = models.DateField(_("修复日期"))
    source = models.CharField(_("修复平台"), max_length=50)
    reference = models.CharField(_("修复决定编号"), max_length=100, blank=True)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="external_repairs",
        verbose_name=_("行政处罚公示"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("外部信用修复结果")
        verbose_name_plural = _("外部信用修复结果")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "source"], name="external_repair_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.decision_number}"
