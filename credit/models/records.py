"""Credit records: a common base (office, dates, status, who and when) and one typed model per Annex 1 item."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.scoping import ALL, ScopedQuerySet
from credit import fields, validators
from credit.catalog import ITEM_FIELD_KEYS
from credit.models.catalog import Item, Office
from credit.models.subjects import Subject, SubjectKind


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


class RecordQuerySet(ScopedQuerySet):
    """Records: reviewers see (``view``) and decide (``review``) every office's; clerks see and change (``change``)
    their own offices'; everyone else none. Objects outside answer 404."""

    scope_rules = {
        Role.REVIEWER: {"view": ALL, "review": ALL},
        Role.CLERK: {"view": "office", "change": "office"},
    }


class Record(models.Model):
    """The part every credit record shares, whatever its item (multi-table base of the ten typed models)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="records", verbose_name=_("信用信息事项"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="records", verbose_name=_("报送处室"))
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("信用主体")
    )
    business_date = fields.CatalogDateField(_("业务发生日期"))
    due_date = models.DateField(_("报送截止日期"))
    due_date_provisional = models.BooleanField(
        _("截止日期暂定"), default=False, help_text=_("该年度节假日安排尚未录入，按周一至周五推算。")
    )
    status = models.CharField(_("状态"), max_length=12, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    validity_end = models.DateField(_("有效期截止"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("最后修改人")
    )
    updated_at = models.DateTimeField(_("最后修改时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decision_reason = models.TextField(_("退回或撤销理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RecordQuerySet.as_manager()

    # Set by each typed model.
    ITEM_NO: ClassVar[int] = 0
    # The field the business date is pre-filled from; None where the clerk enters it.
    BUSINESS_DATE_FIELD: ClassVar[str | None] = None
    # The fields naming and identifying the record's subject.
    SUBJECT_NAME_FIELD: ClassVar[str] = ""
    SUBJECT_ID_FIELD: ClassVar[str] = ""
    # Date fields that may lie in the future (e.g. the end of a recognition's validity).
    FUTURE_DATE_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["item", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_id and self.item.name} #{self.pk}"

    @classmethod
    def field_keys(cls) -> tuple[str, ...]:
        return ITEM_FIELD_KEYS[cls.ITEM_NO]

    @property
    def typed(self) -> Record:
        """The item-specific record (the child row) of a base record."""
        from credit.registry import model_for_item

        model = model_for_item(self.item.no)
        if isinstance(self, model):
            return self
        return model.objects.get(pk=self.pk)

    @property
    def subject_name(self) -> str:
        return getattr(self, self.SUBJECT_NAME_FIELD, "") if self.SUBJECT_NAME_FIELD else ""

    @property
    def is_editable(self) -> bool:
        return self.status in {RecordStatus.DRAFT, RecordStatus.RETURNED}

    @property
    def submitted_on_time(self) -> bool | None:
        """Timeliness of the submission (及时): submitted on or before the due date; None while unsubmitted."""
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.due_date

    @property
    def is_overdue(self) -> bool:
        """Not yet submitted and past its due date (逾期未报)."""
        return self.is_editable and self.due_date < timezone.localdate()

    def subject_identity(self) -> tuple[str, str, str] | None:
        """(kind, identifier, identifier kind) of the record's subject, or None when the fields are not valid yet."""
        ident = getattr(self, self.SUBJECT_ID_FIELD, "") if self.SUBJECT_ID_FIELD else ""
        if not ident:
            return None
        if self.item.is_natural_person:
            kind = getattr(self, "doc_type", "居民身份证")
            return SubjectKind.NATURAL, ident, "cn_id" if kind == "居民身份证" else kind
        try:
            return SubjectKind.LEGAL, ident, validators.classify_org_code(ident)
        except ValidationError:
            return None

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors: dict[str, str] = {}
        earliest = validators.EARLIEST_DATE
        too_early = _("%(name)s不能早于%(earliest)s。")
        if self.business_date and self.business_date > today:
            errors["business_date"] = _("业务发生日期不能晚于今天。")
        elif self.business_date and self.business_date < earliest:
            errors["business_date"] = too_early % {"name": _("业务发生日期"), "earliest": earliest.isoformat()}
        for key in self.field_keys():
            value = getattr(self, key, None)
            if not isinstance(value, datetime.date):
                continue
            name = self._meta.get_field(key).verbose_name
            if value > today and key not in self.FUTURE_DATE_FIELDS:
                errors[key] = _("%(name)s不能晚于今天。") % {"name": name}
            elif value < earliest:
                # A typo (0026 for 2026) or Excel's day zero (1900-01-00), never a real credit record.
                errors[key] = too_early % {"name": name, "earliest": earliest.isoformat()}
        if errors:
            raise ValidationError(errors)


class CnIdSexMixin:
    """性别 must agree with the sex digit (17th character) of the ID number."""

    def _check_sex(self, errors: dict) -> None:
        if self.sex and self.id_number and "id_number" not in errors:
            try:
                validators.validate_cn_id(self.id_number)
            except ValidationError:
                return
            expected = validators.cn_id_sex(self.id_number)
            if expected != self.sex:
                errors["sex"] = _("性别与身份证号码不符：身份证号码第17位表示“%(expected)s”。") % {"expected": expected}


def _date_order(record, errors: dict, earlier: str, later: str) -> None:
    a, b = getattr(record, earlier), getattr(record, later)
    if a and b and b < a:
        errors[later] = _("%(later)s不能早于%(earlier)s。") % {
            "later": record._meta.get_field(later).verbose_name,
            "earlier": record._meta.get_field(earlier).verbose_name,
        }


def _run_clean(record, checks) -> None:
    try:
        Record.clean(record)
        errors: dict = {}
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    for check in checks:
        check(errors)
    if errors:
        raise ValidationError(errors)


class TeacherQualificationRecord(CnIdSexMixin, Record):
    """1. 其他类教师资格信息 (natural person, 基础信息, reported twice a year by 组人处)."""

    ITEM_NO = 1
    BUSINESS_DATE_FIELD = "grant_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "name", "id_number"

    name = fields.person_name(1, "name")
    id_number = fields.cn_id(1, "id_number")
    sex = fields.enum(1, "sex")
    cert_name = fields.text(1, "cert_name")
    cert_number = fields.text(1, "cert_number", max_length=50)
    issue_date = fields.date(1, "issue_date")
    grant_date = fields.date(1, "grant_date")
    issuing_authority = fields.text(1, "issuing_authority")
    cert_status = fields.enum(1, "cert_status")

    history = HistoricalRecords(table_name="credit_item1_history")

    class Meta:
        verbose_name = _("其他类教师资格信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item1"

    def clean(self) -> None:
        _run_clean(self, [self._check_sex])


class SchoolPenaltyRecord(Record):
    """2. 学校、办学机构处罚信息 (legal person, 失信信息, 双公示 penalty)."""

    ITEM_NO = 2
    BUSINESS_DATE_FIELD = "penalty_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "org_name", "org_code"

    org_name = fields.text(2, "org_name")
    org_code = fields.org_code(2, "org_code")
    address = fields.text(2, "address")
    penalty_type = fields.enum(2, "penalty_type")
    penalty_content = fields.long_text(2, "penalty_content")
    penalty_result = fields.long_text(2, "penalty_result")
    penalty_date = fields.date(2, "penalty_date")
    penalty_authority = fields.text(2, "penalty_authority")
    penalty_basis = fields.long_text(2, "penalty_basis")
    execution_status = fields.enum(2, "execution_status")

    history = HistoricalRecords(table_name="credit_item2_history")

    class Meta:
        verbose_name = _("学校、办学机构处罚信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item2"


class InstitutionRecord(Record):
    """3. 教育机构信息 (legal person, 基础信息; business date entered with the record)."""

    ITEM_NO = 3
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "org_name", "org_code"

    org_name = fields.text(3, "org_name")
    org_code = fields.org_code(3, "org_code")
    supervising_authority = fields.text(3, "supervising_authority")
    school_type = fields.text(3, "school_type", max_length=100)

    history = HistoricalRecords(table_name="credit_item3_history")

    class Meta:
        verbose_name = _("教育机构信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item3"


class ModelSchoolRecord(Record):
    """4. 市级示范性学校评估认定信息 (legal person, 基础信息)."""

    ITEM_NO = 4
    BUSINESS_DATE_FIELD = "recognition_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "org_name", "org_code"

    org_code = fields.org_code(4, "org_code")
    org_name = fields.text(4, "org_name")
    cert_number = fields.text(4, "cert_number", max_length=50)
    cert_content = fields.long_text(4, "cert_content")
    valid_from = fields.date(4, "valid_from")
    valid_to = fields.date(4, "valid_to")
    recognition_date = fields.date(4, "recognition_date")
    recognition_authority = fields.text(4, "recognition_authority")

    history = HistoricalRecords(table_name="credit_item4_history")

    class Meta:
        verbose_name = _("市级示范性学校评估认定信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item4"

    FUTURE_DATE_FIELDS = ("valid_from", "valid_to")

    def clean(self) -> None:
        _run_clean(self, [lambda errors: _date_order(self, errors, "valid_from", "valid_to")])


class TutoringInspectionRecord(Record):
    """5. 民办高等教育自学考试助学机构年度检查信息 (legal person, 其他信息)."""

    ITEM_NO = 5
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "org_name", "org_code"

    org_code = fields.org_code(5, "org_code")
    org_name = fields.text(5, "org_name")
    inspection_year = fields.year(5, "inspection_year")
    conclusion = fields.enum(5, "conclusion")
    inspection_authority = fields.text(5, "inspection_authority")

    history = HistoricalRecords(table_name="credit_item5_history")

    class Meta:
        verbose_name = _("民办高等教育自学考试助学机构年度检查信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item5"


class AdvancedCollectiveRecord(Record):
    """6. 全市教育系统先进集体评选信息 (legal person, 守信信息, red list; any office may report)."""

    ITEM_NO = 6
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "org_name", "org_code"

    org_code = fields.org_code(6, "org_code")
    org_name = fields.text(6, "org_name")
    award_name = fields.text(6, "award_name")
    award_doc_number = fields.text(6, "award_doc_number", max_length=50)
    award_content = fields.long_text(6, "award_content")

    history = HistoricalRecords(table_name="credit_item6_history")

    class Meta:
        verbose_name = _("全市教育系统先进集体评选信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item6"


class AdvancedWorkerRecord(Record):
    """7. 全市教育系统先进工作者评选信息 (natural person, 守信信息, red list)."""

    ITEM_NO = 7
    BUSINESS_DATE_FIELD = "award_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "name", "id_number"

    name = fields.person_name(7, "name")
    id_number = fields.cn_id(7, "id_number")
    honour_matter = fields.text(7, "honour_matter")
    honour_name = fields.text(7, "honour_name")
    award_date = fields.date(7, "award_date")
    awarding_unit = fields.text(7, "awarding_unit")

    history = HistoricalRecords(table_name="credit_item7_history")

    class Meta:
        verbose_name = _("全市教育系统先进工作者评选信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item7"


class TeacherPenaltyRecord(Record):
    """8. 教师行政处罚 (natural person, 失信信息, 双公示 penalty)."""

    ITEM_NO = 8
    BUSINESS_DATE_FIELD = "penalty_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "name", "id_number"

    name = fields.person_name(8, "name")
    id_number = fields.cn_id(8, "id_number")
    offence = fields.long_text(8, "offence")
    decision_number = fields.text(8, "decision_number", max_length=100)
    penalty_result = fields.long_text(8, "penalty_result")
    penalty_authority = fields.text(8, "penalty_authority")
    penalty_date = fields.date(8, "penalty_date")

    history = HistoricalRecords(table_name="credit_item8_history")

    class Meta:
        verbose_name = _("教师行政处罚")
        verbose_name_plural = verbose_name
        db_table = "credit_item8"


class FalseRegistrationRecord(Record):
    """9. 恶意注册虚假信息 (natural person, 失信信息)."""

    ITEM_NO = 9
    BUSINESS_DATE_FIELD = "report_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "actor_name", "doc_number"

    actor_name = fields.person_name(9, "actor_name")
    doc_type = fields.enum(9, "doc_type")
    doc_number = fields.doc_number(9, "doc_number")
    registration_content = fields.long_text(9, "registration_content")
    registration_date = fields.date(9, "registration_date")
    report_date = fields.date(9, "report_date")
    employer = fields.text(9, "employer")

    history = HistoricalRecords(table_name="credit_item9_history")

    class Meta:
        verbose_name = _("恶意注册虚假信息")
        verbose_name_plural = verbose_name
        db_table = "credit_item9"

    def clean(self) -> None:
        def doc(errors):
            if self.doc_type and self.doc_number and "doc_number" not in errors:
                try:
                    validators.validate_doc_number(self.doc_type, self.doc_number)
                except ValidationError as exc:
                    errors["doc_number"] = exc.messages

        _run_clean(self, [doc, lambda errors: _date_order(self, errors, "registration_date", "report_date")])


class QualificationFraudRecord(Record):
    """10. 弄虚作假、骗取专业机构资格 (legal person, 失信信息; any office holding the information reports it)."""

    ITEM_NO = 10
    BUSINESS_DATE_FIELD = "implementation_date"
    SUBJECT_NAME_FIELD, SUBJECT_ID_FIELD = "target_name", "target_code"

    target_name = fields.text(10, "target_name")
    target_code = fields.org_code(10, "target_code")
    principal_name = fields.person_name(10, "principal_name")
    contact_phone = fields.phone(10, "contact_phone")
    registered_address = fields.text(10, "registered_address")
    business_scope = fields.long_text(10, "business_scope")
    implementing_agency = fields.text(10, "implementing_agency")
    implementation_date = fields.date(10, "implementation_date")
    reason = fields.long_text(10, "reason")
    location = fields.text(10, "location")

    history = HistoricalRecords(table_name="credit_item10_history")

    class Meta:
        verbose_name = _("弄虚作假、骗取专业机构资格")
        verbose_name_plural = verbose_name
        db_table = "credit_item10"
