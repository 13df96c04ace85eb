"""Audit entries that need no call from other apps: sign-in events, lockouts, admin actions and every create,
change or status transition of a model tracked by django-simple-history (the ten credit record models and whatever
else keeps history), recorded from simple-history's ``post_create_historical_record`` signal.

Only the *names* of changed fields are recorded, never their values: the history tables keep the values, and the
audit log must not become a second copy of ID numbers readable by the auditor.
"""

from __future__ import annotations

import logging

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log

logger = logging.getLogger("audit")

_HISTORY_ACTION = {"+": AuditAction.CREATE, "~": AuditAction.CHANGE, "-": AuditAction.DELETE}
_LOGENTRY_ACTION = {ADDITION: AuditAction.CREATE, CHANGE: AuditAction.CHANGE, DELETION: AuditAction.DELETE}
# Bookkeeping columns that change with every write and say nothing on their own.
_NOISE_FIELDS = frozenset({"updated_at", "updated_by", "version"})


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_log(request=request, user=user, action=AuditAction.LOGIN)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(request=request, user=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, credentials.get("username", "")) or "")[:150]
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    event = audit_log(
        request=request,
        user=user,
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        detail={"username": username, "known_account": user is not None},
        object_type=User._meta.label_lower if user else "",
        object_id=user.pk if user else "",
        object_repr=username,
    )
    if user is None and username:
        # Keep the attempted name even though there is no account (password guessing against unknown names).
        logger.info("failed login for unknown account %r (audit event %s)", username, event.pk)


def _on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_log(
        request=request,
        action=AuditAction.LOCKOUT,
        outcome=AuditOutcome.DENIED,
        object_repr=str(username or "")[:255],
        detail={"username": username or "", "ip": ip_address or ""},
    )


def _history_request():
    return getattr(HistoricalRecords.context, "request", None)


@receiver(post_create_historical_record, dispatch_uid="audit_history")
def _on_history(sender, instance, history_instance, **kwargs):
    """One audit event per tracked create/change/delete; a change of ``status`` is logged as a transition."""
    history_type = getattr(history_instance, "history_type", "~")
    action = _HISTORY_ACTION.get(history_type, AuditAction.CHANGE)
    detail: dict = {"history_id": history_instance.pk}
    reason = getattr(history_instance, "history_change_reason", None)
    if history_type == "~":
        previous = history_instance.prev_record
        if previous is not None:
            try:
                delta = history_instance.diff_against(previous)
            except Exception:  # a model whose history cannot be diffed still gets its entry
                delta = None
            if delta is not None:
                changed = sorted(c.field for c in delta.changes)
                detail["changed_fields"] = [f for f in changed if f not in _NOISE_FIELDS]
                status = next((c for c in delta.changes if c.field == "status"), None)
                if status is not None:
                    action = AuditAction.TRANSITION
                    detail["from"], detail["to"] = status.old, status.new
    if reason:
        detail["reason"] = str(reason)[:500]
    request = _history_request()
    user = getattr(history_instance, "history_user", None)
    audit_log(request=request, user=user, action=action, obj=instance, detail=detail)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_logentry")
def _on_admin_action(sender, instance: LogEntry, created: bool, **kwargs):
    """Changes made in the Django admin (users, roles, offices, items, calendar, schedules)."""
    if not created:
        return
    content_type = instance.content_type
    audit_log(
        request=_history_request(),
        user=instance.user,
        action=_LOGENTRY_ACTION.get(instance.action_flag, AuditAction.CHANGE),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr or "",
        detail={"via": "admin", "change": instance.get_change_message()},
    )


def connect_optional() -> None:
    """Signals of optional packages, connected when they are installed."""
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover
        return
    user_locked_out.connect(_on_lockout, dispatch_uid="audit_lockout")
