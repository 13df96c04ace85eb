"""Credit records: a common base (office, dates, status, who and when) and one typed model per Annex 1 item.

A typed model declares only its item and the type of each catalogue field; its names, requirements, table, history
and the item's business-date and subject fields come from the catalogue (``credit.catalog``).
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.models import Decided
from core.scoping import ALL, ScopedQuerySet
from credit import fields, validators
from credit.catalog import ItemSpec
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


class Record(Decided):
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
    version = models.PositiveIntegerField(_("版本"), default=1)
    # Facts of what happened to the record downstream, owned here so that oversight can measure them without
    # importing publicity or reporting (``credit.services.publication_facts``); each set once, the first time.
    first_published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True)
    first_delivered_at = models.DateTimeField(_("首次报送平台时间"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    # Set on each typed model from its catalogue entry (``__init_subclass__``).
    ITEM_NO: ClassVar[int] = 0
    # The field the business date is pre-filled from; None where the clerk enters it.
    BUSINESS_DATE_FIELD: ClassVar[str | None] = None
    # What the business date is called where the clerk enters it (业务发生日期, or e.g. 认定日期).
    BUSINESS_DATE_LABEL: ClassVar[str] = "业务发生日期"
    # The fields naming and identifying the record's subject.
    SUBJECT_NAME_FIELD: ClassVar[str] = ""
    SUBJECT_ID_FIELD: ClassVar[str] = ""
    # Date fields that may lie in the future (e.g. the end of a recognition's validity).
    FUTURE_DATE_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Item number → typed model, filled as the typed models are declared (read through credit.registry).
    item_models: ClassVar[dict[int, type[Record]]] = {}

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-created_at", "-id"]
        # Each record list's filter + order has an index that serves both, so a page (keyset, ``core.keyset``) reads
        # only its own rows however long the office's history: the default newest-first list (a clerk's office, or
        # every office), by status, by item, and each date sort of the list's 排序 (forwards or backwards).
        indexes = [
            models.Index(fields=["office", "status", "-created_at", "-id"], name="record_office_status_new"),
            models.Index(fields=["office", "-created_at", "-id"], name="record_office_new"),
            models.Index(fields=["office", "item", "-created_at", "-id"], name="record_office_item_new"),
            models.Index(fields=["-created_at", "-id"], name="record_new"),
            models.Index(fields=["office", "due_date", "id"], name="record_office_due"),
            models.Index(fields=["office", "business_date", "id"], name="record_office_business"),
            models.Index(fields=["office", "updated_at", "id"], name="record_office_updated"),
            models.Index(fields=["status", "due_date"]),
            # What changed since a point in time: the delivery selection (an item's records approved since its last
            # batch) and the reminders (returned or withdrawn since the last run) read that, not the whole history.
            models.Index(fields=["item", "status", "updated_at"], name="record_item_status_updated"),
            models.Index(fields=["status", "updated_at"], name="record_status_updated"),
            # An office's submitted records of an item by due date: whether (and how much) it reported for a period
            # (semiannual periods on the dashboard and in the reminders), without reading the period's drafts.
            models.Index(
                fields=["office", "item", "due_date"],
                condition=Q(submitted_at__isnull=False) & ~Q(status__in=[RecordStatus.DRAFT, RecordStatus.RETURNED]),
                name="record_submitted_by_due",
            ),
            # The records still owed, by office and due date: oversight's overdue count of the current month (before
            # today) reads those alone, however many records the month holds.
            models.Index(
                fields=["office", "due_date"],
                condition=Q(submitted_at__isnull=True) | Q(status__in=[RecordStatus.DRAFT, RecordStatus.RETURNED]),
                name="record_unsubmitted_by_due",
            ),
            # A record's scope and status by its key without reading the table (PostgreSQL: an index-only scan; other
            # databases ignore INCLUDE): the import's duplicate check joins a typed table's matches to their records
            # and keeps the user's offices' live ones. Read from the 152 MB table at 1M records (beyond PostgreSQL's
            # default 128 MB of shared buffers) that join cost 1.1-1.4 times its cost at 100k; from this 30 MB index
            # the same at both sizes.
            models.Index(fields=["id"], include=["office", "status"], name="record_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id and self.item.name} #{self.pk}"

    def __init_subclass__(cls, item: int | None = None, **kwargs) -> None:
        """Declare a typed model of catalogue item ``item``: ``class FooRecord(Record, item=11)``.

        Called by the model metaclass before the fields are added, so the catalogue fields
        (``credit.fields``) can find their item; sets what the catalogue says about the item, the table names and
        the change history, and registers the model for ``credit.registry``.
        """
        super().__init_subclass__(**kwargs)
        if item is None:
            return
        spec = ItemSpec.get(item)
        if item in Record.item_models:
            raise ImproperlyConfigured(f"item {item} already has a model: {Record.item_models[item].__name__}")
        cls.ITEM_NO = spec.no
        cls.BUSINESS_DATE_FIELD = spec.business_date_field
        cls.BUSINESS_DATE_LABEL = spec.business_date_label
        cls.SUBJECT_NAME_FIELD, cls.SUBJECT_ID_FIELD = spec.subject_name_field, spec.subject_id_field
        cls.FUTURE_DATE_FIELDS = spec.future_date_fields
        # The metaclass reads Meta from the class when the body declares none; typed models declare none.
        cls.Meta = type(
            "Meta",
            (),
            {
                "verbose_name": spec.name,
                "verbose_name_plural": spec.name,
                "db_table": f"credit_item{spec.no}",
                # The duplicate check of imports and entry (same natural key) looks records up by the subject's
                # identifier: an index led by it keeps that a seek (ID numbers are encrypted deterministically, so
                # equal numbers are equal ciphertexts and the index works on them).
                "indexes": [models.Index(fields=_natural_key_index(spec), name=f"item{spec.no}_natural_key")],
            },
        )
        cls.add_to_class("history", HistoricalRecords(table_name=f"credit_item{spec.no}_history"))
        Record.item_models[item] = cls

    @classmethod
    def field_keys(cls) -> tuple[str, ...]:
        """The Annex 1 data items (template columns), in catalogue order."""
        return ItemSpec.get(cls.ITEM_NO).keys

    @classmethod
    def extra_keys(cls) -> tuple[str, ...]:
        """The product's optional extra fields of the item (``extra_fields`` in the catalogue)."""
        return ItemSpec.get(cls.ITEM_NO).extra_keys

    @classmethod
    def record_keys(cls) -> tuple[str, ...]:
        """Every field a clerk enters: the Annex 1 data items, then the extra fields."""
        return ItemSpec.get(cls.ITEM_NO).record_keys

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
        """(kind, identifier, identifier kind) of the record's subject, or None when the fields are not valid yet or
        identify nobody: the placeholder code of unlicensed 个体工商户 (``validators.USCC_PLACEHOLDER``) is shared by
        every such business, so two of them are not one credit subject (one subject page, one credit report, one
        vetting result, one registered name)."""
        ident = getattr(self, self.SUBJECT_ID_FIELD, "") if self.SUBJECT_ID_FIELD else ""
        if not ident:
            return None
        if self.item.is_natural_person:
            kind = getattr(self, "doc_type", "居民身份证")
            return SubjectKind.NATURAL, ident, "cn_id" if kind == "居民身份证" else kind
        try:
            kind = validators.classify_school_or_org_code(ident)
        except ValidationError:
            return None
        return None if kind == "uscc_placeholder" else (SubjectKind.LEGAL, ident, kind)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors: dict[str, str] = {}
        earliest = validators.EARLIEST_DATE
        too_early = _("%(name)s不能早于%(earliest)s。")
        label = self.BUSINESS_DATE_LABEL
        if self.business_date and self.business_date > today:
            errors["business_date"] = _("%(name)s不能晚于今天。") % {"name": label}
        elif self.business_date and self.business_date < earliest:
            errors["business_date"] = too_early % {"name": label, "earliest": earliest.isoformat()}
        natural = getattr(self, self.BUSINESS_DATE_FIELD, None) if self.BUSINESS_DATE_FIELD else None
        if "business_date" not in errors and self.business_date and natural and self.business_date != natural:
            # The catalogue says the deadline runs from this data item (处罚日期, 认定日期…): a later business date
            # made a decision reported months late read 按时, an earlier one shortened its validity.
            natural_name = self._meta.get_field(self.BUSINESS_DATE_FIELD).verbose_name
            errors["business_date"] = _(
                "%(name)s应与“%(natural)s”（%(date)s）相同：报送期限与有效期自%(natural)s起算。留空即自动取该日期。"
            ) % {"name": label, "natural": natural_name, "date": natural.isoformat()}
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
        self._check_subject_category(errors)
        if errors:
            raise ValidationError(errors)

    def _check_subject_category(self, errors: dict) -> None:
        """行政相对人类别 (the field answering the national ``cf_xdr_lb``) must agree with the credit code: 个体工商户 have
        codes beginning 92 (registration authority 9 = market regulation, kind 2) or, unlicensed, the placeholder code;
        a 事业单位's 12… or an enterprise's 91… is no 个体工商户 (it was exported as one in the national file)."""
        columns = ItemSpec.get(self.ITEM_NO).penalty_columns
        key = columns.columns.get("cf_xdr_lb") if columns else None
        code = str(getattr(self, self.SUBJECT_ID_FIELD, "") or "").strip().upper() if self.SUBJECT_ID_FIELD else ""
        if not key or not code or key in errors or self.SUBJECT_ID_FIELD in errors:
            return
        try:
            kind = validators.classify_school_or_org_code(code)
        except ValidationError:
            return
        business = getattr(self, key, "") == INDIVIDUAL_BUSINESS
        name = self._meta.get_field(key).verbose_name
        if kind == "uscc_placeholder" and not business:
            errors[key] = _("%(name)s：代码 %(code)s 仅用于未取得统一社会信用代码的个体工商户，请选“个体工商户”。") % {
                "name": name,
                "code": code,
            }
        elif kind == "uscc" and business and not code.startswith(INDIVIDUAL_BUSINESS_USCC_PREFIX):
            errors[key] = _(
                "%(name)s：统一社会信用代码 %(code)s 以“%(prefix)s”开头，不是个体工商户的代码（个体工商户的代码以“92”开头），"
                "请核对类别或代码。"
            ) % {"name": name, "code": code, "prefix": code[:2]}


#: 行政相对人类别 of an individual business, and the first two characters of its credit code (GB 32100: registration
#: authority 9, kind 2).
INDIVIDUAL_BUSINESS = "个体工商户"
INDIVIDUAL_BUSINESS_USCC_PREFIX = "92"


def _natural_key_index(spec: ItemSpec) -> list[str]:
    """The natural key's fields, the subject's identifier first."""
    key = list(spec.natural_key)
    if spec.subject_id_field in key:
        key.remove(spec.subject_id_field)
        key.insert(0, spec.subject_id_field)
    return key


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


@receiver(models.signals.class_prepared)
def _typed_model_matches_catalogue(sender, **kwargs) -> None:
    """A typed model has exactly its catalogue item's fields: one missing or extra would be left out of the form, the
    upload template or the API without any error."""
    if not (
        isinstance(sender, type) and issubclass(sender, Record) and Record.item_models.get(sender.ITEM_NO) is sender
    ):
        return
    declared = {f.name for f in sender._meta.local_fields if not f.one_to_one}
    keys = set(sender.record_keys())
    if declared != keys:
        raise ImproperlyConfigured(
            f"{sender.__name__} (item {sender.ITEM_NO}) fields differ from the catalogue: "
            f"missing {sorted(keys - declared)}, not in the catalogue {sorted(declared - keys)}"
        )


class TeacherQualificationRecord(CnIdSexMixin, Record, item=1):
    """1. 其他类教师资格信息 (natural person, 基础信息, reported twice a year by 组人处)."""

    name = fields.person_name()
    id_number = fields.cn_id()
    sex = fields.enum()
    cert_name = fields.text()
    cert_number = fields.text(max_length=50)
    issue_date = fields.date()
    grant_date = fields.date()
    issuing_authority = fields.text()
    cert_status = fields.enum()

    def clean(self) -> None:
        _run_clean(self, [self._check_sex])


class SchoolPenaltyRecord(Record, item=2):
    """2. 学校、办学机构处罚信息 (legal person, 失信信息, 双公示 penalty)."""

    org_name = fields.text()
    org_code = fields.org_code()
    address = fields.text()
    penalty_type = fields.enum()
    penalty_content = fields.long_text()
    penalty_result = fields.long_text()
    penalty_date = fields.date()
    penalty_authority = fields.text()
    penalty_basis = fields.long_text()
    execution_status = fields.enum()
    # Extra fields (catalogue ``extra_fields``): the national 双公示 columns Annex 1 lacks.
    decision_number = fields.text(max_length=100)
    offence_type = fields.text()
    subject_category = fields.enum()
    legal_representative = fields.text(max_length=50)
    fine_amount = fields.amount()
    confiscation_amount = fields.amount()
    licence_affected = fields.text()


class InstitutionRecord(Record, item=3):
    """3. 教育机构信息 (legal person, 基础信息; business date entered with the record)."""

    org_name = fields.text()
    org_code = fields.org_code()
    supervising_authority = fields.text()
    school_type = fields.text(max_length=100)


class ModelSchoolRecord(Record, item=4):
    """4. 市级示范性学校评估认定信息 (legal person, 基础信息)."""

    org_code = fields.org_code()
    org_name = fields.text()
    cert_number = fields.text(max_length=50)
    cert_content = fields.long_text()
    valid_from = fields.date()
    valid_to = fields.date()
    recognition_date = fields.date()
    recognition_authority = fields.text()

    def clean(self) -> None:
        _run_clean(self, [lambda errors: _date_order(self, errors, "valid_from", "valid_to")])


class TutoringInspectionRecord(Record, item=5):
    """5. 民办高等教育自学考试助学机构年度检查信息 (legal person, 其他信息)."""

    org_code = fields.org_code()
    org_name = fields.text()
    inspection_year = fields.year()
    conclusion = fields.enum()
    inspection_authority = fields.text()


class AdvancedCollectiveRecord(Record, item=6):
    """6. 全市教育系统先进集体评选信息 (legal person, 守信信息, red list; any office may report)."""

    org_code = fields.org_code()
    org_name = fields.text()
    award_name = fields.text()
    award_doc_number = fields.text(max_length=50)
    award_content = fields.long_text()


class AdvancedWorkerRecord(Record, item=7):
    """7. 全市教育系统先进工作者评选信息 (natural person, 守信信息, red list)."""

    name = fields.person_name()
    id_number = fields.cn_id()
    honour_matter = fields.text()
    honour_name = fields.text()
    award_date = fields.date()
    awarding_unit = fields.text()


class TeacherPenaltyRecord(Record, item=8):
    """8. 教师行政处罚 (natural person, 失信信息, 双公示 penalty)."""

    name = fields.person_name()
    id_number = fields.cn_id()
    offence = fields.long_text()
    decision_number = fields.text(max_length=100)
    penalty_result = fields.long_text()
    penalty_authority = fields.text()
    penalty_date = fields.date()
    # Extra fields (catalogue ``extra_fields``): 行政处罚 or 处分, and the national 双公示 columns Annex 1 lacks.
    nature = fields.enum()
    offence_type = fields.text()
    penalty_basis = fields.long_text()
    penalty_category = fields.enum()
    fine_amount = fields.amount()
    confiscation_amount = fields.amount()
    licence_affected = fields.text()


class FalseRegistrationRecord(Record, item=9):
    """9. 恶意注册虚假信息 (natural person, 失信信息). The deadline counts from the business date, entered as 认定日期
    (the day the false registration is established), which cannot come before the report (被举报日期)."""

    actor_name = fields.person_name()
    doc_type = fields.enum()
    doc_number = fields.doc_number()
    registration_content = fields.long_text()
    registration_date = fields.date()
    report_date = fields.date()
    employer = fields.text()

    def clean(self) -> None:
        def doc(errors):
            if self.doc_type and self.doc_number and "doc_number" not in errors:
                try:
                    validators.validate_doc_number(self.doc_type, self.doc_number)
                except ValidationError as exc:
                    errors["doc_number"] = exc.messages

        def established(errors):
            if self.business_date and self.report_date and self.business_date < self.report_date:
                errors.setdefault(
                    "business_date",
                    _("%(label)s不能早于%(report)s。")
                    % {"label": self.BUSINESS_DATE_LABEL, "report": self._meta.get_field("report_date").verbose_name},
                )

        _run_clean(
            self,
            [doc, lambda errors: _date_order(self, errors, "registration_date", "report_date"), established],
        )


class QualificationFraudRecord(Record, item=10):
    """10. 弄虚作假、骗取专业机构资格 (legal person, 失信信息; any office holding the information reports it)."""

    target_name = fields.text()
    target_code = fields.org_code()
    principal_name = fields.person_name()
    contact_phone = fields.phone()
    registered_address = fields.text()
    business_scope = fields.long_text()
    implementing_agency = fields.text()
    implementation_date = fields.date()
    reason = fields.long_text()
    location = fields.text()
