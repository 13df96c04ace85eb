"""信用审查 (credit checks before awards and recognitions): the rules, the checks made, the external dishonesty lists
the bureau receives, and the batch checks of candidate lists (评优评先).

Nothing here is public: hits, external lists and batch reports are for the bureau's staff only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.scoping import ALL, ScopedQuerySet
from credit.fields import ENCRYPTED_MAX_LENGTH, EncryptedCharField
from credit.models import Item, Office, Record, Subject, SubjectKind


class RuleSource(models.TextChoices):
    RECORDS = "records", _("失信记录")
    BLACK_LIST = "black_list", _("黑名单")
    EXTERNAL = "external", _("外部失信名单")


class CheckRule(models.Model):
    """One kind of live dishonesty a credit check counts against an award: the approved records of a 失信信息 item,
    the black list, or the external lists. Seeded from the item catalogue; the system admin edits it (admin), staff
    read it (``/workspace/vetting/rules/``)."""

    source = models.CharField(_("来源"), max_length=12, choices=RuleSource.choices)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("信用信息事项")
    )
    list_name = models.CharField(
        _("外部名单名称"), max_length=100, blank=True, help_text=_("外部失信名单：留空表示全部外部名单")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    lookback_years = models.PositiveSmallIntegerField(
        _("追溯年限"), default=5, help_text=_("只计业务发生（列入）日期在最近若干年内的；0 表示不限")
    )
    within_publicity = models.BooleanField(
        _("仅计公示期内"), default=False, help_text=_("行政处罚：只计在信用信息专栏公示期内的")
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("信用审查规则")
        verbose_name_plural = _("信用审查规则")
        ordering = ["source", "item__no", "list_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "item", "list_name"], name="vetting_rule_unique"),
            models.CheckConstraint(
                condition=~models.Q(source="records") | models.Q(item__isnull=False), name="vetting_rule_item"
            ),
        ]

    def __str__(self) -> str:
        if self.source == RuleSource.RECORDS and self.item_id:
            return f"{self.get_source_display()}：{self.item.name}"
        if self.source == RuleSource.EXTERNAL:
            return f"{self.get_source_display()}：{self.list_name or _('全部')}"
        return str(self.get_source_display())


class CheckTrigger(models.TextChoices):
    CREATE = "create", _("录入")
    IMPORT = "import", _("批量导入")
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审核通过")


class CheckOutcome(models.TextChoices):
    CLEAR = "clear", _("未发现失信信息")
    HIT = "hit", _("发现失信信息")
    REFUSED = "refused", _("审核通过被拒绝")
    OVERRIDDEN = "overridden", _("说明理由后例外通过")


class CreditCheck(models.Model):
    """One credit check of an award or recognition record: when, why, what it found and, at approval, the
    reviewer's reasoned override. ``hits`` holds labels, dates and record ids, never an identifier."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="credit_checks", verbose_name=_("记录"))
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("信用主体")
    )
    trigger = models.CharField(_("审查时点"), max_length=10, choices=CheckTrigger.choices)
    outcome = models.CharField(_("结果"), max_length=12, choices=CheckOutcome.choices)
    hit_count = models.PositiveIntegerField(_("失信信息条数"), default=0)
    hits = models.JSONField(_("失信信息"), default=list, blank=True)
    override_reason = models.TextField(_("例外通过理由"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审查人"),
    )
    checked_at = models.DateTimeField(_("审查时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信用审查")
        verbose_name_plural = _("信用审查")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.record_id} {self.get_trigger_display()} {self.get_outcome_display()}"


class ExternalList(models.Model):
    """A provincial or national dishonesty list the bureau received (e.g. 失信被执行人名单). Each import replaces its
    entries; the lists are used by the credit checks and never published."""

    name = models.CharField(_("名单名称"), max_length=100, unique=True)
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    entry_count = models.PositiveIntegerField(_("条目数"), default=0)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("外部失信名单")
        verbose_name_plural = _("外部失信名单")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalListEntry(models.Model):
    """One subject on an external list, matched by its identifier (encrypted like credit's: exact matches work)."""

    dishonesty_list = models.ForeignKey(
        ExternalList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("名单")
    )
    subject_kind = models.CharField(_("主体类别"), max_length=10, choices=SubjectKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    identifier = EncryptedCharField(_("统一社会信用代码或身份证号码"), max_length=ENCRYPTED_MAX_LENGTH, db_index=True)
    basis = models.TextField(_("列入依据"), blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("外部失信名单条目")
        verbose_name_plural = _("外部失信名单条目")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class BatchCheckQuerySet(ScopedQuerySet):
    """Batch checks: reviewers see every office's, clerks their offices'; everyone else none (404)."""

    scope_rules = {Role.REVIEWER: {"view": ALL}, Role.CLERK: {"view": "office"}}


class BatchCheck(models.Model):
    """A batch credit check of a candidate list (评优评先): the report, numbered and stored. ``results`` holds, per
    candidate, the name, the *masked* identifier and the hits; the uploaded file itself is not kept."""

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("处室")
    )
    title = models.CharField(_("审查事由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审查人")
    )
    created_at = models.DateTimeField(_("审查时间"), default=timezone.now)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    candidate_count = models.PositiveIntegerField(_("人数（单位数）"), default=0)
    hit_count = models.PositiveIntegerField(_("有失信信息的"), default=0)
    results = models.JSONField(_("审查结果"), default=list)

    objects = BatchCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("批量信用审查")
        verbose_name_plural = _("批量信用审查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class CreditReport(models.Model):
    """A 信用报告 (an organisation's, public; or a natural person's, staff only), as generated: its number, when, whose, and the SHA-256 of the PDF handed
    out, which the public verification page compares an uploaded copy with. The PDF itself is not kept."""

    number = models.CharField(_("报告编号"), max_length=40, unique=True)
    subject_code = models.CharField(_("统一社会信用代码"), max_length=30, db_index=True, blank=True)
    subject_name = models.CharField(_("名称"), max_length=200, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sha256 = models.CharField(_("报告文件SHA-256"), max_length=64)
    summary = models.JSONField(_("内容摘要"), default=dict, blank=True)
    # A natural person's report (staff only): the code and name stay empty, so the public verification page tells
    # nobody whose report it is; the subject link says it to staff.
    personal = models.BooleanField(_("自然人报告"), default=False)
    subject = models.ForeignKey(
        "credit.Subject", verbose_name=_("信用主体"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return self.number


class CommitmentStatus(models.TextChoices):
    PENDING = "pending", _("履约中")
    KEPT = "kept", _("已履约")
    BROKEN = "broken", _("失信")


class Commitment(models.Model):
    """信用承诺: a commitment an organisation made (e.g. 告知承诺 in licensing, or in an award application), and whether
    it was kept; a breach links the credit record that shows it. Public: organisations' commitments only."""

    subject_name = models.CharField(_("主体名称"), max_length=200)
    subject_code = models.CharField(_("统一社会信用代码"), max_length=30, db_index=True)
    commitment_type = models.CharField(_("承诺类型"), max_length=50)
    text = models.TextField(_("承诺内容"), max_length=4000)
    made_on = models.DateField(_("承诺日期"))
    source = models.CharField(_("承诺来源"), max_length=200, help_text=_("如：行政许可事项、评优评先申报"))
    status = models.CharField(
        _("履约状态"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.PENDING
    )
    breach_record = models.ForeignKey(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("失信记录")
    )
    status_note = models.TextField(_("履约情况说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.commitment_type}"


class EvaluationFactor(models.TextChoices):
    RECORDS = "records", _("信用记录")
    BLACK_LIST = "black_list", _("黑名单")
    BROKEN_COMMITMENT = "broken_commitment", _("失信承诺")


class EvaluationRule(models.Model):
    """One factor of the credit evaluation (信用评价) of organisations: points per approved, in-force record of an item
    (negative for 失信信息, positive for recognitions), per live black-list entry or per broken commitment, within a
    window of years, counted at most ``cap`` times. Seeded from the catalogue; the system admin edits it (admin)."""

    factor = models.CharField(_("评价因素"), max_length=20, choices=EvaluationFactor.choices)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("信用信息事项")
    )
    points = models.IntegerField(_("每条分值"), help_text=_("负数为扣分，正数为加分"))
    window_years = models.PositiveSmallIntegerField(_("计算年限"), default=3, help_text=_("0 表示不限"))
    cap = models.PositiveSmallIntegerField(_("最多计入条数"), default=0, help_text=_("0 表示不限"))
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("信用评价规则")
        verbose_name_plural = _("信用评价规则")
        ordering = ["factor", "item__no", "id"]
        constraints = [models.UniqueConstraint(fields=["factor", "item"], name="vetting_evaluation_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}：{self.item.name}" if self.item_id else str(self.get_factor_display())


class CreditEvaluation(models.Model):
    """An organisation's current credit evaluation: score (base 100), grade A/B/C/D and the reasons (which rule
    counted how many times for how many points). Recomputed on each change of its records and nightly."""

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="credit_evaluation", verbose_name=_("信用主体")
    )
    score = models.IntegerField(_("评价分值"))
    grade = models.CharField(_("信用等级"), max_length=1, db_index=True)
    reasons = models.JSONField(_("评价依据"), default=list, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信用评价")
        verbose_name_plural = _("信用评价")
        ordering = ["score", "subject_id"]

    def __str__(self) -> str:
        return f"{self.subject} {self.grade}"
