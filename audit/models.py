"""The audit log (安全审计日志): one append-only row per security-relevant event.

Append-only is enforced twice: on PostgreSQL a trigger refuses every UPDATE and DELETE on the table (so not even a
raw SQL statement or a compromised application can rewrite history), and in Python the model and its queryset refuse
to save an existing row or delete one, which also covers SQLite where the trigger does not exist. The only sanctioned
deletion is the retention purge (``audit.services.audit_purge``), which lifts both guards for events older than the
retention period.
"""

from __future__ import annotations

import contextvars

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Set only inside ``audit_purge``: lets the Python guards through for the retention purge.
_purge_in_progress: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_purge", default=False)

APPEND_ONLY_TRIGGER = "audit_event_append_only"


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
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志只能追加，不能修改。")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not _purge_in_progress.get():
            raise AuditLogImmutable("审计日志只能追加，不能删除。")
        return super().delete(*args, **kwargs)
