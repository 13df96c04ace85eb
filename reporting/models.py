"""The reporting ledger (报送台账): export batches and which record versions they carried; batch import jobs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.files import private_storage
from core.scoping import ALL, ANY, ScopedQuerySet
from credit.fields import EncryptedCharField
from credit.models import Item, NoticeKind, Office, Record


class BatchKind(models.TextChoices):
    INCREMENTAL = "incremental", _("增量报送")
    FULL = "full", _("全量报送")
    SEMIANNUAL = "semiannual", _("半年报送")
    CORRECTION = "correction", _("更正报送")


class BatchFormat(models.TextChoices):
    UPLOAD_TEMPLATE = "upload_template", _("上传模板")
    DOUBLE_PUBLICITY = "double_publicity", _("双公示国家标准")
    DOUBLE_PUBLICITY_LICENCE = "dp_licence", _("双公示国家标准（行政许可）")
    # Delivered to the municipal platform like the upload template (Annex 2 indicator 3: 行政许可 and 黑名单 too).
    LICENCE_MUNICIPAL = "licence", _("双公示国家标准（行政许可，报送市平台）")
    BLACKLIST = "blacklist", _("黑名单认定（报送市平台）")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("待报送")
    DELIVERING = "delivering", _("报送中")
    DELIVERED = "delivered", _("已报送")
    FAILED = "failed", _("报送失败")


class ExportBatchQuerySet(ScopedQuerySet):
    """The ledger is the reviewers' (审核员), whatever they do with it; everyone else sees none (404)."""

    scope_rules = {Role.REVIEWER: {ANY: ALL}}


def batch_upload_to(batch: ExportBatch, filename: str) -> str:
    # Server-generated: never the client's name; the batch id and content hash make it unique and recognisable.
    return f"reporting/batches/{batch.folder}/batch-{batch.pk:08d}-{batch.sha256[:16]}.xlsx"


class ExportBatch(models.Model):
    """One export of an item's records to the platform (一批次): its file, hash, and delivery history."""

    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_batches",
        verbose_name=_("信用信息事项"),
        help_text=_(
            "更正报送批次为空（一个批次涵盖全部事项的更正、撤下和撤销）；行政许可批次为空（许可决定不属于十个事项）"
        ),
    )
    kind = models.CharField(_("报送类型"), max_length=12, choices=BatchKind.choices)
    format = models.CharField(
        _("文件格式"), max_length=20, choices=BatchFormat.choices, default=BatchFormat.UPLOAD_TEMPLATE
    )
    scope = models.CharField(_("范围说明"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("记录数"), default=0)
    file = models.FileField(_("文件"), upload_to=batch_upload_to, storage=private_storage, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("文件大小（字节）"), null=True, blank=True)
    purged_at = models.DateTimeField(
        _("文件删除时间"),
        null=True,
        blank=True,
        help_text=_("按保留期限删除文件的时间；台账保留哈希、大小、记录数与回执号"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
        help_text=_("定时任务生成的批次为空"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("报送尝试次数"), default=0)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    delivered_via = models.CharField(_("报送方式"), max_length=20, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("手工报送人"),
    )
    outcome = models.TextField(_("结果"), blank=True)
    receipt = models.CharField(_("平台回执号"), max_length=200, blank=True)

    objects = ExportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送批次")
        verbose_name_plural = _("报送台账")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["item", "status"]),
            models.Index(fields=["status", "created_at"]),
            # The item's last incremental batch of a format: where the next delivery selection starts.
            models.Index(fields=["item", "format", "kind", "-created_at"], name="batch_item_format_kind_new"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} #{self.pk}"

    @property
    def is_licence(self) -> bool:
        """A batch of licensing decisions (行政许可, national format): no item, no record lines."""
        return self.format in (BatchFormat.DOUBLE_PUBLICITY_LICENCE, BatchFormat.LICENCE_MUNICIPAL)

    @property
    def is_blacklist(self) -> bool:
        """A batch of black-list decisions (黑名单): no item, no record lines (``BatchDecision`` lines)."""
        return self.format == BatchFormat.BLACKLIST

    @property
    def subject_label(self) -> str:
        """What the batch is about: the item's name, 行政许可 for licensing decisions, or 更正报送 for a corrections
        batch (all items)."""
        if self.item_id:
            return self.item.name
        if self.is_blacklist:
            return str(_("黑名单认定"))
        return str(_("行政许可决定")) if self.is_licence else str(_("更正报送（全部事项）"))

    @property
    def is_municipal(self) -> bool:
        """Whether the batch goes to the municipal platform (upload template, corrections, licences and black-list
        decisions) through the transport.

        National 双公示 files of items and the reviewer's full licence file are for the provincial platform: never
        delivered automatically, uploaded by hand."""
        return self.format in (BatchFormat.UPLOAD_TEMPLATE, BatchFormat.LICENCE_MUNICIPAL, BatchFormat.BLACKLIST)

    @property
    def folder(self) -> str:
        """Short name of the batch's scope in file names: the two-digit item number, ``licences`` or ``corrections``."""
        if self.item_id:
            return f"{self.item.no:02d}"
        if self.is_blacklist:
            return "blacklist"
        return "licences" if self.is_licence else "corrections"

    @property
    def download_name(self) -> str:
        if self.item_id:
            label = self.item.name
        elif self.is_blacklist:
            label = str(_("黑名单"))
        else:
            label = str(_("行政许可")) if self.is_licence else str(_("更正报送"))
        return f"{label}-{self.get_kind_display()}-{self.pk}.xlsx"


class BatchRecord(models.Model):
    """A record carried by a batch, with the version it had then: each record knows which batches carried it."""

    batch = models.ForeignKey(ExportBatch, on_delete=models.CASCADE, related_name="lines", verbose_name=_("报送批次"))
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="batch_links", verbose_name=_("信用记录"))
    record_version = models.PositiveIntegerField(_("记录版本"))

    class Meta:
        verbose_name = _("批次记录")
        verbose_name_plural = _("批次记录")
        constraints = [models.UniqueConstraint(fields=["batch", "record"], name="batchrecord_unique_record")]
        indexes = [models.Index(fields=["record", "record_version"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.record_id}@{self.record_version}"


class BatchDecision(models.Model):
    """A licensing (行政许可) or black-list (黑名单) decision carried by a municipal batch: each is delivered once."""

    batch = models.ForeignKey(
        ExportBatch, on_delete=models.CASCADE, related_name="decision_lines", verbose_name=_("报送批次")
    )
    licence = models.ForeignKey(
        "publicity.LicenceDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batch_links",
        verbose_name=_("行政许可决定"),
    )
    blacklist_entry = models.ForeignKey(
        "publicity.BlackListEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batch_links",
        verbose_name=_("黑名单认定"),
    )

    class Meta:
        verbose_name = _("批次决定")
        verbose_name_plural = _("批次决定")
        constraints = [
            models.UniqueConstraint(fields=["batch", "licence"], name="batchdecision_unique_licence"),
            models.UniqueConstraint(fields=["batch", "blacklist_entry"], name="batchdecision_unique_blacklist"),
            models.CheckConstraint(
                condition=models.Q(licence__isnull=False, blacklist_entry__isnull=True)
                | models.Q(licence__isnull=True, blacklist_entry__isnull=False),
                name="batchdecision_one_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.licence_id or self.blacklist_entry_id}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    INVALID = "invalid", _("校验未通过")
    SUCCEEDED = "succeeded", _("导入成功")
    FAILED = "failed", _("处理出错")


class ImportMode(models.TextChoices):
    CREATE = "create", _("新增记录")
    UPDATE = "update", _("更新已有记录")


class ImportOutcome(models.TextChoices):
    """What an update-mode import did to one record: in place (draft or returned, possibly submitted with it) or
    through review (a submitted record resubmitted, an approved one by a change request)."""

    UPDATED = "updated", _("已更新（未提交）")
    SUBMITTED = "submitted", _("已更新并提交审核")
    RESUBMITTED = "resubmitted", _("已撤回、更新并重新提交审核")
    CHANGE = "change", _("已提出变更申请，待审核")

    @classmethod
    def to_review(cls) -> frozenset[str]:
        """The outcomes that wait for a reviewer."""
        return frozenset({cls.SUBMITTED, cls.RESUBMITTED, cls.CHANGE})


class ImportJobQuerySet(ScopedQuerySet):
    """Clerks reach the import jobs of their offices; nobody else any (out of scope → 404)."""

    scope_rules = {Role.CLERK: {ANY: "office"}}


def import_upload_to(job: ImportJob, filename: str) -> str:
    return f"reporting/imports/{job.uuid}.xlsx"


def import_errors_upload_to(job: ImportJob, filename: str) -> str:
    return f"reporting/imports/{job.uuid}-errors.xlsx"


class ImportJob(models.Model):
    """A clerk's upload of a filled template (批量导入): validated all at once, saved all or nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("信用信息事项"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送处室"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    file = models.FileField(_("上传文件"), upload_to=import_upload_to, storage=private_storage, max_length=200)
    submit = models.BooleanField(_("导入后直接提交审核"), default=False)
    mode = models.CharField(_("导入方式"), max_length=8, choices=ImportMode.choices, default=ImportMode.CREATE)
    status = models.CharField(_("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("导入记录数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    # Update mode: one entry per row, {"row": Excel row, "record": id, "outcome": ImportOutcome, "change": id or None}.
    updated = models.JSONField(_("更新的记录"), default=list, blank=True)
    error_file = models.FileField(
        _("错误标注文件"), upload_to=import_errors_upload_to, storage=private_storage, max_length=200, blank=True
    )
    files_purged_at = models.DateTimeField(
        _("文件删除时间"), null=True, blank=True, help_text=_("按保留期限删除上传文件与错误标注文件的时间")
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("批量导入")
        verbose_name_plural = _("批量导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item.name} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.INVALID, ImportStatus.SUCCEEDED, ImportStatus.FAILED}


class SemiannualNoticeQuerySet(ScopedQuerySet):
    """Clerks see their offices' notices; nobody else any."""

    scope_rules = {Role.CLERK: {ANY: "office"}}


class SemiannualNotice(models.Model):
    """A reminder to an office that owes a semiannual report (一年两次, e.g. item 1) for a period: before the period's
    due date and once it is past. The office has submitted nothing for the period, so there is no record to hang the
    reminder on (``credit.Notice`` is per record): it is per office, item and period, each kind once."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="semiannual_notices", verbose_name=_("责任处室")
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name=_("信用信息事项"))
    period_start = models.DateField(_("报送期开始"))
    due_date = models.DateField(_("报送截止日期"))
    # A period is reminded before it is due and once overdue; a record's due-date change is not a period's notice.
    kind = models.CharField(
        _("类型"),
        max_length=12,
        choices=[(k.value, k.label) for k in (NoticeKind.DUE_SOON, NoticeKind.OVERDUE)],
    )
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    emailed_to = models.TextField(_("邮件收件人"), blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = SemiannualNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("半年报送提醒")
        verbose_name_plural = _("半年报送提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "item", "due_date", "kind"], name="semiannual_notice_once_per_period_and_kind"
            )
        ]

    def __str__(self) -> str:
        return self.message


class DeliveryTransport(models.TextChoices):
    DROPFOLDER = "dropfolder", _("投递目录")
    HTTP = "http", _("HTTP 接口")


DELIVERY_SETTINGS_PK = 1
TOKEN_MAX_LENGTH = 500
# The column holds the ciphertext: len(credit.crypto.encrypt("~" * TOKEN_MAX_LENGTH)) is 693 (ASCII only: one
# byte a character; 300 Chinese characters would already need 1,229).
TOKEN_COLUMN_LENGTH = 800

# Batches carry decrypted ID numbers: an address set in the admin is https only (the environment's is the operators').
# (Its own code: a form's URLField would replace an "invalid" message by its generic one.)
validate_https_url = URLValidator(
    schemes=["https"], message=_("“接口地址”须为以 https:// 开头的有效地址。"), code="https_only"
)
# Bearer tokens are ASCII; anything else (spaces, Chinese) is a typo and would overflow the encrypted column.
validate_token = RegexValidator(
    r"\A[!-~]*\Z",
    message=_("“接口令牌”只能包含可打印的 ASCII 字符（字母、数字、符号），不能含空格、中文或其他字符。"),
    code="invalid_token",
)


class DeliverySettings(models.Model):
    """How batches reach the municipal platform (报送设置), kept by the system admin: one row (pk 1).

    With no row, or an empty field, the environment settings (``REPORTING_*`` in config/settings/reporting.py) apply;
    ``reporting.transports.delivery_config`` merges the two, except that the environment token only ever goes with
    the environment address: a row with its own ``http_url`` uses its own ``http_token`` or none. The token is stored
    encrypted and never shown again.
    """

    transport = models.CharField(
        _("报送通道"), max_length=12, choices=DeliveryTransport.choices, default=DeliveryTransport.DROPFOLDER
    )
    drop_dir = models.CharField(
        _("投递目录"),
        max_length=500,
        blank=True,
        help_text=_("服务器上的绝对路径；留空则使用环境变量 REPORTING_DROP_DIR"),
    )
    http_url = models.URLField(
        _("接口地址"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("留空则使用环境变量 REPORTING_HTTP_URL"),
    )
    http_token = EncryptedCharField(
        _("接口令牌"),
        max_length=TOKEN_COLUMN_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(TOKEN_MAX_LENGTH), validate_token],
        help_text=_(
            "加密保存，只写不显示；留空且“接口地址”也留空时使用环境变量 REPORTING_HTTP_TOKEN（环境变量中的令牌"
            "只发往环境变量中的地址）"
        ),
    )
    http_timeout = models.PositiveIntegerField(
        _("接口超时（秒）"), default=60, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    max_retries = models.PositiveSmallIntegerField(
        _("失败重试次数"),
        default=5,
        validators=[MaxValueValidator(20)],
        help_text=_("报送失败后按指数退避自动重试的次数，用尽后批次标记为报送失败"),
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    # Where batches go (channel, folder, address, token) changes only once a security admin, not the system admin
    # who proposed it, confirms (两人确认): until then the proposal waits here and deliveries keep the fields above.
    pending_transport = models.CharField(
        _("待确认的报送通道"), max_length=12, choices=DeliveryTransport.choices, blank=True, editable=False
    )
    pending_drop_dir = models.CharField(_("待确认的投递目录"), max_length=500, blank=True, editable=False)
    pending_http_url = models.CharField(_("待确认的接口地址"), max_length=500, blank=True, editable=False)
    pending_http_token = EncryptedCharField(
        _("待确认的接口令牌"), max_length=TOKEN_COLUMN_LENGTH, blank=True, editable=False
    )
    pending_at = models.DateTimeField(_("提出变更时间"), null=True, blank=True, editable=False)
    pending_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("提出人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("确认人"),
    )

    class Meta:
        verbose_name = _("报送设置")
        verbose_name_plural = _("报送设置")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=DELIVERY_SETTINGS_PK), name="deliverysettings_singleton")
        ]

    def __str__(self) -> str:
        return str(_("报送设置"))

    @property
    def has_token(self) -> bool:
        return bool(self.http_token)

    @property
    def has_pending_change(self) -> bool:
        return self.pending_at is not None


class FeedbackResult(models.TextChoices):
    ACCEPTED = "accepted", _("入库")
    REFUSED = "refused", _("问题数据")


class RowFeedbackQuerySet(ScopedQuerySet):
    """Clerks see the platform's verdicts on their offices' records (the 问题数据 queue); reviewers every office's."""

    scope_rules = {Role.CLERK: {ANY: "office"}, Role.REVIEWER: {ANY: ALL}}


class RowFeedback(models.Model):
    """The municipal platform's verdict on one row of a delivered batch (入库, or 问题数据 with a reason), per record and
    the version the batch carried. A refusal stays open (the office's 问题数据 queue) until the platform accepts a later
    delivery of the same record (``resolved_at``)."""

    batch = models.ForeignKey(
        ExportBatch, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("报送批次")
    )
    row = models.PositiveIntegerField(_("行号"))
    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="platform_feedback", verbose_name=_("信用记录")
    )
    record_version = models.PositiveIntegerField(_("记录版本"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送处室"))
    result = models.CharField(_("平台结果"), max_length=10, choices=FeedbackResult.choices)
    reason = models.TextField(_("问题原因"), blank=True)
    source = models.CharField(_("反馈来源"), max_length=12)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    resolved_at = models.DateTimeField(
        _("问题解决时间"), null=True, blank=True, help_text=_("平台接收同一记录的后续报送（入库）的时间")
    )

    objects = RowFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("平台反馈")
        verbose_name_plural = _("平台反馈")
        ordering = ["-received_at", "batch_id", "row"]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="rowfeedback_once_per_batch_row")]
        indexes = [
            models.Index(fields=["office", "result", "resolved_at"]),
            models.Index(fields=["record", "result", "resolved_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row} {self.result}"
