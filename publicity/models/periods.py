"""How long a penalty stays on the column: a table of periods by penalty category, severity and sector, kept by the
system admin (NDRC Order No. 58 as implemented locally; see ``publicity.services.periods``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from publicity.models.publications import PENALTY_CATEGORIES


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class PublicityPeriodRule(models.Model):
    """The minimum and maximum publicity of a penalty of one category (any category when blank), severity and sector
    (any sector when blank). The most specific rule of each category applies; for several categories the longest."""

    penalty_category = models.CharField(
        _("处罚类别"),
        max_length=20,
        blank=True,
        choices=[(c, c) for c in PENALTY_CATEGORIES],
        help_text=_("留空表示任何处罚类别"),
    )
    severity = models.CharField(
        _("违法行为严重程度"), max_length=10, blank=True, choices=Severity.choices, help_text=_("留空表示任何程度")
    )
    sector = models.CharField(
        _("行业领域"), max_length=50, blank=True, help_text=_("如 特种设备、安全生产、消防；留空表示任何领域")
    )
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"))
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政处罚公示期限规则")
        verbose_name_plural = _("行政处罚公示期限规则")
        ordering = ["penalty_category", "severity", "sector"]
        constraints = [
            models.UniqueConstraint(fields=["penalty_category", "severity", "sector"], name="period_rule_unique")
        ]

    def __str__(self) -> str:
        parts = [self.penalty_category or _("任何类别"), self.get_severity_display() or _("任何程度")]
        if self.sector:
            parts.append(self.sector)
        return f"{' / '.join(str(p) for p in parts)}：{self.min_months}–{self.max_months} 个月"

    def clean(self) -> None:
        """Within the envelope of the rule (``PUBLICITY_PENALTY_MIN_MONTHS`` … ``MAX_MONTHS``), minimum ≤ maximum."""
        low, high = settings.PUBLICITY_PENALTY_MIN_MONTHS, settings.PUBLICITY_PENALTY_MAX_MONTHS
        errors = {}
        for field in ("min_months", "max_months"):
            value = getattr(self, field)
            if value is not None and not low <= value <= high:
                errors[field] = _("公示期应在 %(low)s 至 %(high)s 个月之间。") % {"low": low, "high": high}
        if not errors and self.min_months is not None and self.max_months is not None:
            if self.min_months > self.max_months:
                errors["max_months"] = _("最长公示期不能短于最短公示期。")
        if errors:
            raise ValidationError(errors)
