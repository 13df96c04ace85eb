"""Objections (异议申诉) and credit-repair applications (信用修复) filed by visitors, decided by reviewers within ten
working days. Visitors follow them by tracking code; their contact details are never shown publicly."""

from __future__ import annotations

import secrets
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import private_storage
from publicity.models.blacklist import BlackListEntry
from publicity.models.licences import LicenceDecision
from publicity.models.publications import Publication

# No 0/O, 1/I/L: codes are read aloud on the phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


def contact_key(contact: str) -> str:
    """The contact as the caps compare it: an e-mail address in lower case; a phone number as its digits, without
    the country code (+86 / 0086 / 86 before an eleven-digit mobile); anything else trimmed, in lower case."""
    text = unicodedata.normalize("NFKC", contact or "").strip()
    if "@" in text:
        return text.lower()[:100]
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < 5:
        return text.lower()[:100]
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits[:100]


def evidence_path(instance, filename: str) -> str:
    """Server-generated name: the visitor's file name is never used on disk (only its checked extension)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"publicity/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    DECIDED = "decided", _("已办结")


class Outcome(models.TextChoices):
    CORRECTED = "corrected", _("予以更正")
    WITHDRAWN = "withdrawn", _("提前撤下公示")
    UPHELD = "upheld", _("维持原公示")


class PublicRequest(models.Model):
    """What an objection and a repair application share: tracking code, applicant, evidence, timer and outcome."""

    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_contact = models.CharField(_("联系方式"), max_length=100, help_text=_("仅用于办理，不予公开"))
    content = models.TextField(_("申请内容与理由"), max_length=4000)
    evidence = models.FileField(_("证明材料"), upload_to=evidence_path, storage=private_storage, blank=True)
    evidence_name = models.CharField(_("证明材料原文件名"), max_length=200, blank=True)
    # The size of the evidence (with a repair's 信用承诺书) as received, for the column's daily quota
    # (PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES).
    evidence_bytes = models.PositiveBigIntegerField(_("证明材料大小（字节）"), default=0, editable=False)
    # The contact as the cap on open cases per contact compares it (``contact_key``): phone digits or e-mail.
    contact_key = models.CharField(_("联系方式（规范化）"), max_length=100, blank=True, db_index=True, editable=False)
    status = models.CharField(
        _("办理状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    due_date = models.DateField(_("办理期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    outcome = models.CharField(_("办理结果"), max_length=10, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("答复意见"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理人"),
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def target(self):
        return self.publication or getattr(self, "licence", None) or getattr(self, "blacklist_entry", None)

    # The timer (working days left) is set by ``publicity.selectors.request_timers`` as ``days_left``, for a whole
    # list on one calendar: a per-row property would load the calendar once per row.


class Objection(PublicRequest):
    """异议申诉 on any public entry (penalty, red list, licence or black list)."""

    CODE_PREFIX = "YY"
    KIND = "objection"

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("公示信息"),
    )
    licence = models.ForeignKey(
        LicenceDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("行政许可"),
    )
    blacklist_entry = models.ForeignKey(
        BlackListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("黑名单"),
    )
    history = HistoricalRecords()

    class Meta(PublicRequest.Meta):
        verbose_name = _("异议申诉")
        verbose_name_plural = _("异议申诉")


class RepairApplication(PublicRequest):
    """信用修复: a penalised subject asks to withdraw a penalty early, after its minimum publicity period."""

    CODE_PREFIX = "XF"
    KIND = "repair"

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("行政处罚公示")
    )
    # Stored encrypted like the evidence (it is signed by the applicant and may show an ID number).
    commitment = models.FileField(_("信用承诺书"), upload_to=evidence_path, storage=private_storage, blank=True)
    commitment_name = models.CharField(_("信用承诺书原文件名"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta(PublicRequest.Meta):
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
