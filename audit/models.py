"""The audit log (安全审计日志): one append-only, hash-chained row per security-relevant event.

Append-only is enforced in layers:

* on PostgreSQL the application connects as a role that may only ``SELECT`` and ``INSERT`` on the audit tables
  (``manage.py setup_db_roles``, run by the owner role after ``migrate``): no session of that role can update,
  delete or truncate them, whatever it sets;
* triggers refuse UPDATE, DELETE and TRUNCATE for the owner too (which, owning the table, could drop them: that is
  what the chain is for);
* in Python the model and its queryset refuse to save an existing row or delete one (this also covers SQLite);
* every event carries the digest of the previous one (``audit.chain``), so ``manage.py audit_verify`` finds an edit
  or a deletion made by whoever bypassed the rest.

The only sanctioned deletion is the retention purge (``audit.services.audit_purge``): on PostgreSQL the SQL function
``audit_purge_expired`` (``SECURITY DEFINER``, owned by the owner role, migration 0007) deletes a prefix of the chain
older than at least 180 days and leaves an ``AuditChainCheckpoint`` that verification starts from.
"""

from __future__ import annotations

import contextvars

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import chain

# Set only inside ``audit_purge``: lets the Python guards through for the retention purge.
_purge_in_progress: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_purge", default=False)

APPEND_ONLY_TRIGGER = "audit_event_append_only"
NO_TRUNCATE_TRIGGER = "audit_event_no_truncate"
CHECKPOINT_APPEND_ONLY_TRIGGER = "audit_checkpoint_append_only"
CHECKPOINT_NO_TRUNCATE_TRIGGER = "audit_checkpoint_no_truncate"


def _no_truncate(name: str) -> pgtrigger.Trigger:
    """A statement-level trigger refusing TRUNCATE (pgtrigger's ``Protect`` covers row operations only)."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        level=pgtrigger.Statement,
        func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
    )


class AuditLogImmutable(Exception):
    """An attempt to change or delete an audit event."""


class AuditAction(models.TextChoices):
    CREATE = "create", _("新建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("状态流转")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载")
    VIEW_PERSONAL_DATA = "view_personal_data", _("查看未脱敏个人信息")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    OTP_FAILED = "otp_failed", _("动态口令验证失败")
    OTP_VERIFIED = "otp_verified", _("动态口令验证通过")
    ACCESS_DENIED = "access_denied", _("越权访问")
    SESSIONS_REVOKED = "sessions_revoked", _("强制下线")
    PURGE = "purge", _("清理过期审计日志")
    ROLE_GRANT = "role_grant", _("授予角色或处室")
    # An alert for the auditor (highlighted in the log): the security admin granted a role or offices that waits for
    # the system admin's approval.
    ROLE_GRANT_PENDING = "role_grant_pending", _("授权待批准（需关注）")
    APPROVE = "approve", _("批准或确认")
    REJECT = "reject", _("驳回")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        if not _purge_in_progress.get():
            raise AuditLogImmutable("审计日志只能追加，不能删除。")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        """One by one, so that each event is linked into the chain."""
        objs = list(objs)
        for obj in objs:
            obj.save(using=self.db)
        return objs


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and with what outcome."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting a user must neither fail on nor rewrite the audit trail; the
    # username and role are snapshotted for the same reason.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    role = models.CharField(_("角色"), max_length=16, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    method = models.CharField(_("请求方法"), max_length=8, blank=True)
    path = models.CharField(_("请求路径"), max_length=255, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    detail = models.JSONField(_("详情"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The hash chain (audit.chain): set when the event is inserted.
    seq = models.BigIntegerField(_("序号"), unique=True, editable=False)
    prev_hash = models.CharField(_("前一条摘要"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("摘要"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["action", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        triggers = [
            pgtrigger.Protect(name=APPEND_ONLY_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete),
            _no_truncate(NO_TRUNCATE_TRIGGER),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志只能追加，不能修改。")
        kwargs["force_insert"] = True
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            chain.lock_chain(using)
            chain.link(self, chain_head(using))
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not _purge_in_progress.get():
            raise AuditLogImmutable("审计日志只能追加，不能删除。")
        return super().delete(*args, **kwargs)


def chain_head(using: str = "default") -> tuple[int, str]:
    """``(seq, digest)`` of the newest event, or of the last purged one when the table is empty; ``(0, "")`` for a new
    chain. One index lookup each, never a table scan."""
    head = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "entry_hash").first()
    if head is None:
        head = AuditChainCheckpoint.objects.using(using).order_by("-seq").values_list("seq", "entry_hash").first()
    return (head[0], head[1]) if head else (0, "")


class AuditChainCheckpoint(models.Model):
    """Where the chain starts after a retention purge: the ``seq`` and digest of the last purged event. Written only
    by the purge (the SQL function on PostgreSQL); the application role may only read it."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    entry_hash = models.CharField(_("摘要"), max_length=64)
    cutoff = models.DateTimeField(_("清理截止时间"))
    created_at = models.DateTimeField(_("清理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审计日志链起点")
        verbose_name_plural = _("审计日志链起点")
        default_permissions = ()
        triggers = [
            pgtrigger.Protect(name=CHECKPOINT_APPEND_ONLY_TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete),
            _no_truncate(CHECKPOINT_NO_TRUNCATE_TRIGGER),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"
