"""Administrative licensing decisions (行政许可), following the national 双公示 licensing standard (xk_* columns)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.models import Decided
from core.scoping import ALL, ScopedQuerySet
from credit import validators
from credit.fields import ENCRYPTED_MAX_LENGTH, EncryptedCharField
from credit.models import Office, Subject
from publicity.models.base import PublicEntryColumns

SUBJECT_CATEGORIES = ["法人及非法人组织", "自然人", "个体工商户"]
DOC_TYPES = ["身份证", "护照号", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证", "其他"]


class LicenceCategory(models.TextChoices):
    ORDINARY = "普通", _("普通")
    FRANCHISE = "特许", _("特许")
    ACCREDITATION = "认可", _("认可")
    APPROVAL = "核准", _("核准")
    REGISTRATION = "登记", _("登记")
    OTHER = "其他", _("其他")


class LicenceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    REVOKED = "revoked", _("已撤销")


class LicenceQuerySet(ScopedQuerySet):
    """Reviewers see and decide all; clerks see and change their offices' decisions; anyone else none (404)."""

    scope_rules = {
        Role.REVIEWER: {"view": ALL, "review": ALL},
        Role.CLERK: {"view": "office", "change": "office"},
    }


class LicenceDecision(PublicEntryColumns, Decided):
    """One licensing decision (e.g. 民办学校办学许可, 教师资格认定), entered by an office and reviewed like a record.

    Public once approved and published (within seven working days of ``decision_date``) until withdrawn or revoked.
    ``subject_name``/``public_code``/``document_number`` (inherited) are kept in step with the xk_* columns by the
    services; for a natural person ``public_code`` is the masked ID.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="licences", verbose_name=_("报送处室"))
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="licences", verbose_name=_("信用主体")
    )
    # 行政相对人 (xk_xdr_*)
    xdr_mc = models.CharField(_("行政相对人名称"), max_length=200)
    xdr_lb = models.CharField(_("行政相对人类别"), max_length=20, choices=[(c, c) for c in SUBJECT_CATEGORIES])
    xdr_shxym = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validators.validate_org_code]
    )
    xdr_gszc = models.CharField(_("工商注册号"), max_length=30, blank=True)
    xdr_zzjg = models.CharField(_("组织机构代码"), max_length=30, blank=True)
    xdr_swdj = models.CharField(_("税务登记号"), max_length=30, blank=True)
    xdr_sydw = models.CharField(_("事业单位证书号"), max_length=30, blank=True)
    xdr_shzz = models.CharField(_("社会组织登记证号"), max_length=30, blank=True)
    frdb = models.CharField(_("法定代表人"), max_length=50, blank=True)
    fr_zjlx = models.CharField(_("法定代表人证件类型"), max_length=20, blank=True, choices=[(c, c) for c in DOC_TYPES])
    # Personal identifiers are stored encrypted (credit.crypto), like the ID numbers of the credit records.
    fr_zjhm = EncryptedCharField(
        _("法定代表人证件号码"), max_length=ENCRYPTED_MAX_LENGTH, blank=True, validators=[MaxLengthValidator(30)]
    )
    xdr_zjlx = models.CharField(_("证件类型"), max_length=20, blank=True, choices=[(c, c) for c in DOC_TYPES])
    xdr_zjhm = EncryptedCharField(
        _("证件号码"), max_length=ENCRYPTED_MAX_LENGTH, blank=True, validators=[MaxLengthValidator(30)]
    )
    # 许可决定
    xkws = models.CharField(_("行政许可决定文书名称"), max_length=200)
    wsh = models.CharField(_("行政许可决定文书号"), max_length=100)
    xklb = models.CharField(_("许可类别"), max_length=4, choices=LicenceCategory.choices)
    xkzs = models.CharField(_("许可证书名称"), max_length=200, blank=True)
    xkbh = models.CharField(_("许可编号"), max_length=100, blank=True)
    nr = models.TextField(_("许可内容"), max_length=4000)
    jdrq = models.DateField(_("许可决定日期"))
    yxqz = models.DateField(_("有效期自"))
    yxqzi = models.DateField(_("有效期至"))
    xkjg = models.CharField(_("许可机关"), max_length=200, default=settings.BUREAU_NAME)
    xkjgdm = models.CharField(
        _("许可机关统一社会信用代码"),
        max_length=18,
        default=settings.BUREAU_CREDIT_CODE,
        validators=[validators.validate_org_code],
    )
    lydw = models.CharField(_("数据来源单位"), max_length=200, default=settings.BUREAU_NAME)
    lydwdm = models.CharField(_("数据来源单位统一社会信用代码"), max_length=18, default=settings.BUREAU_CREDIT_CODE)
    bz = models.CharField(_("备注"), max_length=500, blank=True)

    status = models.CharField(_("状态"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤下原因"), blank=True)

    objects = LicenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政许可决定")
        verbose_name_plural = _("行政许可决定")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="lic_status_id"),
            models.Index(fields=["public_code", "subject_kind"], name="lic_code"),
        ]

    def __str__(self) -> str:
        return f"{self.xkws} {self.wsh}"

    @property
    def current_state(self) -> str:
        """xk_zt 当前状态: 有效 within the validity period, otherwise 无效."""
        today = timezone.localdate()
        return "有效" if self.yxqz <= today <= self.yxqzi and self.status == LicenceStatus.APPROVED else "无效"

    @property
    def public(self):
        """The decision's columns as the public column shows them: text masked (the decision itself keeps every
        column as entered, for the national export)."""
        from publicity.masking import MaskedColumns

        return MaskedColumns(self)

    @property
    def public_nr(self) -> str:
        """许可内容 as the column shows it: ID and mobile numbers quoted in it masked (the decision keeps the text as
        entered, for the national export)."""
        from publicity.masking import mask_text_of

        return mask_text_of(self.subject_kind, self.nr)

    @property
    def is_editable(self) -> bool:
        return self.status in {LicenceStatus.DRAFT, LicenceStatus.RETURNED}
