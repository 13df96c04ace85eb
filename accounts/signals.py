"""Session bookkeeping at sign-in and the audit entry of every password change."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.sessions import AUTH_AT_KEY, LAST_ACTIVITY_KEY


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def _stamp_session(sender, request, user, **kwargs):
    """The absolute lifetime and the idle timer start at sign-in (Django has already rotated the session key)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[AUTH_AT_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


class PasswordChangeAuditor:
    """Not a rule: an ``AUTH_PASSWORD_VALIDATORS`` entry so that Django's ``password_changed`` hook, called after
    every saved password change (own change, reset by the security admin, shell), writes the audit entry."""

    def validate(self, password: str, user=None) -> None:
        return None

    def get_help_text(self) -> str:
        return ""

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from simple_history.models import HistoricalRecords

        from audit.models import AuditAction
        from audit.services import audit_log

        request = getattr(HistoricalRecords.context, "request", None)
        actor = getattr(request, "user", None) if request is not None else None
        audit_log(
            request=request,
            user=actor if actor is not None and actor.is_authenticated else user,
            action=AuditAction.PASSWORD_CHANGE,
            obj=user,
            detail={"self_service": actor is not None and actor.pk == user.pk},
        )
