"""The publication of a credit record on the column (双公示 penalties, red list), with the national-standard fields
Annex 1's penalty items lack (see ``double_publicity.json``: gaps_against_annex1)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit.models import Record
from publicity.models.base import PublicEntryColumns

PENALTY_CATEGORIES = [
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
]


class PublicationKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    RED_LIST = "red_list", _("红名单")


class Publication(PublicEntryColumns):
    """One credit record on the public column. Public only while the record is approved, ``published_at`` is set,
    it is not withdrawn and today is not past ``valid_until`` (see ``publicity.selectors``, the one place that says so).

    For penalties ``valid_until`` is the publicity end (3 months … 3 years after the decision, NDRC order No. 58);
    for the red list it follows the record's validity end.
    """

    record = models.OneToOneField(
        Record, on_delete=models.PROTECT, related_name="publication", verbose_name=_("信用记录")
    )
    kind = models.CharField(_("公示类别"), max_length=10, choices=PublicationKind.choices)
    item_no = models.PositiveSmallIntegerField(_("事项编号"))
    decision_date = models.DateField(_("决定日期"))
    # National 双公示 penalty columns missing from Annex 1 (cf_*).
    offence_type = models.CharField(_("违法行为类型"), max_length=200, blank=True, help_text="cf_wfxw")
    offence_facts = models.TextField(_("违法事实"), max_length=4000, blank=True, help_text="cf_sy")
    penalty_basis = models.TextField(_("处罚依据"), max_length=4000, blank=True, help_text="cf_yj")
    penalty_category = models.CharField(
        _("处罚类别"), max_length=20, blank=True, choices=[(c, c) for c in PENALTY_CATEGORIES], help_text="cf_cflb"
    )
    content = models.TextField(_("公示内容"), max_length=4000, blank=True, help_text=_("处罚内容或荣誉内容"))
    authority = models.CharField(_("决定机关"), max_length=200, blank=True)
    other_categories = models.JSONField(
        _("其他处罚类别"), default=list, blank=True, help_text=_("同一决定并处的其他处罚类别；公示期按最长者")
    )
    severity = models.CharField(_("违法行为严重程度"), max_length=10, blank=True)
    sector = models.CharField(_("行业领域"), max_length=50, blank=True)
    period_reason = models.TextField(
        _("公示期限理由"), max_length=2000, blank=True, help_text=_("公示截止日期不取规则默认（最短）时的理由")
    )
    publicity_end = models.DateField(_("公示截止日期"), null=True, blank=True, help_text="cf_gsjzq")
    valid_until = models.DateField(_("公示有效至"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公示决定人"),
    )
    ended_at = models.DateTimeField(_("公示期满时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤下原因"), blank=True)
    corrected_at = models.DateTimeField(
        _("内容更正时间"),
        null=True,
        blank=True,
        help_text=_("异议申诉“予以更正”后公示内容以更正为准，记录变更不再覆盖"),
    )
    # Fields corrected on a granted objection (field → corrected value, as text): they stand over any later refresh
    # from the record. The values before and after each correction are in the history (simple-history).
    corrected_fields = models.JSONField(_("更正的公示字段"), default=dict, blank=True)

    history = HistoricalRecords()

    PUBLIC_TEXT_FIELDS = (
        *PublicEntryColumns.PUBLIC_TEXT_FIELDS,
        *("offence_type", "offence_facts", "penalty_basis", "content", "authority"),
    )

    class Meta:
        verbose_name = _("公示信息")
        verbose_name_plural = _("公示信息")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "-id"], name="pub_kind_id"),
            models.Index(fields=["public_code", "subject_kind"], name="pub_code"),
            models.Index(fields=["valid_until"], name="pub_valid_until"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_name} {self.document_number}".strip()

    # The published fields a granted objection may correct (``request_decide``), in form order.
    CORRECTABLE_FIELDS: tuple[str, ...] = (
        "subject_name",
        "document_number",
        "decision_date",
        "offence_type",
        "offence_facts",
        "penalty_basis",
        "penalty_category",
        "content",
        "authority",
    )

    def apply_corrections(self) -> None:
        """Put the corrected values back over whatever a refresh from the record set."""
        for field, value in (self.corrected_fields or {}).items():
            if field == "decision_date":
                value = datetime.date.fromisoformat(value)
            setattr(self, field, value)
