"""API tokens: making one (its key is returned once and never stored), finding the token a key belongs to, and the
rules that end it.

The tokens are django-rest-knox's (``accounts.models.ApiToken``, ``KNOX_TOKEN_MODEL``): the database holds a SHA-512
digest of the key and its first characters only, so nobody — the security admin, a database reader, a backup — can
read a key back. A key is 64 hexadecimal digits from ``os.urandom`` (256 bits), so a plain hash is enough; a slow
password hash would only slow every API request.

A token is refused (``api_token_refusal``) when it has expired (``API_TOKEN_TTL_DAYS``), when its owner is inactive,
has changed (or been given) a password since the token was made, has an expired password (``PASSWORD_MAX_AGE_DAYS``),
or has been signed out by force or deactivated since (``User.session_epoch``).
"""

from __future__ import annotations

import datetime
from hmac import compare_digest

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings

from accounts.models import ApiToken
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log

# How often the "last used" time is rewritten: not on every request.
_LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_ttl() -> datetime.timedelta:
    return datetime.timedelta(days=max(1, int(getattr(settings, "API_TOKEN_TTL_DAYS", 90))))


def api_token_key_well_formed(key: str) -> bool:
    """Whether ``key`` could be a key this portal made (so is worth a database lookup: a NUL byte would make
    PostgreSQL raise)."""
    length = len(knox_settings.TOKEN_PREFIX) + knox_settings.AUTH_TOKEN_CHARACTER_LENGTH
    return len(key) == length and key.isascii() and key.isalnum()


@transaction.atomic
def api_token_create(*, user, request=None) -> tuple[ApiToken, str]:
    """Make a token for ``user`` and return it with its key: the only time the key exists outside its holder."""
    token, key = ApiToken.objects.create(user=user, expiry=api_token_ttl(), session_epoch=user.session_epoch)
    # Without a request (``manage.py create_api_token`` on the server) no portal user made it: the event names none.
    audit_log(
        request=request,
        action=AuditAction.CREATE,
        obj=token,
        detail={
            "token_prefix": token.display_prefix,
            "owner": user.get_username(),
            "expiry": token.expiry.isoformat(),
            "via": "web" if request is not None else "command",
        },
    )
    return token, key


def api_token_lookup(key: str) -> ApiToken | None:
    """The token whose key is ``key``, whatever its state, or ``None``."""
    if not api_token_key_well_formed(key):
        return None
    digest = hash_token(key)
    for token in ApiToken.objects.select_related("user").filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]):
        if compare_digest(digest, token.digest):
            return token
    return None


def api_token_refusal(token: ApiToken, *, now: datetime.datetime | None = None) -> str | None:
    """Why ``token`` may not be used now (a Chinese message for the API client), or ``None`` when it may."""
    now = now or timezone.now()
    user = token.user
    if token.expiry is None or token.expiry <= now or token.created + api_token_ttl() <= now:
        return _("API 令牌已过期，请重新申请。")
    if not user.is_active:
        return _("账号已停用，API 令牌已失效。")
    if token.session_epoch != user.session_epoch:
        return _("账号已被强制下线，API 令牌已失效，请重新申请。")
    if user.password_changed_at is not None and token.created < user.password_changed_at:
        return _("密码已修改，此前申请的 API 令牌已失效，请重新申请。")
    if user.password_expired:
        return _("您的密码已超过90天未修改，请先修改密码。")
    return None


def api_token_user(key: str):
    """The owner of a usable token with this key, or ``None`` (no side effects: for the role middleware)."""
    token = api_token_lookup(key)
    if token is None or api_token_refusal(token) is not None:
        return None
    return token.user


def api_token_used(*, token: ApiToken, request) -> None:
    """Record one request authenticated by ``token``: in the audit log, as the token's owner, with the token's prefix
    and id, so that whoever holds the key is never taken for anyone but the owner of that token, and the auditor can
    tell token requests from session requests."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    audit_log(
        request=request,
        user=token.user,
        action=AuditAction.LOGIN,
        obj=token,
        detail={"via": "api_token", "token_prefix": token.display_prefix, "token_id": token.pk},
    )


def api_token_refused(*, token: ApiToken, request, reason: str) -> None:
    """Record a request with a known but dead token (expired, password changed, signed out...), as its owner."""
    audit_log(
        request=request,
        user=token.user,
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        obj=token,
        detail={"via": "api_token", "token_prefix": token.display_prefix, "token_id": token.pk, "reason": reason},
    )


@transaction.atomic
def api_tokens_revoke(*, tokens, request=None) -> int:
    """Delete ``tokens`` (a queryset or list), one ``delete`` audit event each; return how many."""
    count = 0
    for token in list(tokens):
        audit_log(
            request=request,
            action=AuditAction.DELETE,
            obj=token,
            detail={"token_prefix": token.display_prefix, "owner": token.user.get_username()},
        )
        token.delete()
        count += 1
    return count
