"""Session and password lifetime rules (等保2.0 level 2, ASVS V3): idle timeout, absolute lifetime, forced sign-out,
periodic password change."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F

# Session keys (epoch seconds).
AUTH_AT_KEY = "_auth_at"
LAST_ACTIVITY_KEY = "_last_activity"


def idle_timeout() -> int:
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60))


def absolute_timeout() -> int:
    return int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60))


def password_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)))


def user_sessions_revoke(*, user, request=None, reason: str = "") -> None:
    """End every session of ``user`` at once (forced sign-out by the security admin, suspected compromise)."""
    from audit.models import AuditAction
    from audit.services import audit_log

    # The user's own class, not an import of accounts.models: the model asks this module for password_max_age.
    type(user)._default_manager.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    audit_log(
        request=request, action=AuditAction.SESSIONS_REVOKED, obj=user, detail={"reason": reason} if reason else None
    )
