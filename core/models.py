"""Abstract model blocks shared by the apps' models (no tables of their own: ``core`` is not an installed app)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decided(models.Model):
    """Who decided a reviewed object (审核), when and why; ``core.workflow.transition`` sets these on a decision."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("退回或撤销理由"), blank=True)

    class Meta:
        abstract = True
