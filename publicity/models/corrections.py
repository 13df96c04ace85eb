"""Corrections to report to the municipal platform (信用南昌) after an entry changed or left the column."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CorrectionKind(models.TextChoices):
    CORRECTED = "corrected", _("更正")
    WITHDRAWN = "withdrawn", _("撤下")


class CorrectionNotice(models.Model):
    """One correction the reporting side picks up (``reporting`` sets ``picked_up_at`` and its batch reference).

    ``source`` says why: an objection, a repair application, a withdrawal by a reviewer.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=CorrectionKind.choices)
    source = models.CharField(_("来源"), max_length=20)
    source_reference = models.CharField(_("来源编号"), max_length=40, blank=True)
    publication = models.ForeignKey(
        "publicity.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("公示信息"),
    )
    licence = models.ForeignKey(
        "publicity.LicenceDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("行政许可"),
    )
    blacklist_entry = models.ForeignKey(
        "publicity.BlackListEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("黑名单"),
    )
    description = models.TextField(_("更正说明"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    picked_up_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    batch_reference = models.CharField(_("报送批次"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("更正报送")
        verbose_name_plural = _("更正报送")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["picked_up_at", "id"], name="corr_pending")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_reference}"
