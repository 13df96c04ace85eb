"""Writing and purging the audit log. Other apps call ``audit_log``; nothing else writes ``AuditEvent`` rows.

Usage from another app's service (inside its transaction, so a rolled-back change leaves no "success" entry)::

    from audit.services import audit_log
    audit_log(request=request, action="export", obj=batch, detail={"rows": n, "sha256": digest})
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from audit import chain
from audit.models import AuditAction, AuditChainCheckpoint, AuditEvent, AuditOutcome, _purge_in_progress

logger = logging.getLogger("audit")

# Detail keys whose values must never land in the log in clear (the log is read by the auditor, not the owner).
_SECRET_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password1",
        "new_password2",
        "token",
        "otp_token",
        "csrfmiddlewaretoken",
    }
)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in getattr(settings, "AUDIT_TRUSTED_PROXIES", ()):
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or, only when that is a configured trusted proxy
    (``AUDIT_TRUSTED_PROXIES``), the nearest untrusted address in ``X-Forwarded-For`` — a client cannot forge its
    address by sending the header itself."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote and _is_trusted_proxy(remote):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        for candidate in reversed(forwarded):
            if not _is_trusted_proxy(candidate):
                remote = candidate
                break
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None


def _scrub(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    if not detail:
        return {}
    return {key: ("***" if key in _SECRET_KEYS else value) for key, value in detail.items()}


def audit_log(
    *,
    request: HttpRequest | None = None,
    user=None,
    action: str,
    obj: Model | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    detail: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``user`` defaults to ``request.user``; the source address, user agent, method and path come from ``request``
    when given. ``obj`` fills the object type, id and representation (or pass them explicitly, e.g. for a batch of
    objects or an object that no longer exists). ``detail`` is free JSON: put field *names* there, never personal data
    values (ID numbers, phones) — the auditor reads this log.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in AuditOutcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or (obj.pk if obj.pk is not None else "")
        object_repr = object_repr or str(obj)
    event = AuditEvent(
        user=user,
        username=(user.get_username() if user is not None else "")[:150],
        role=(getattr(user, "role", "") or "")[:16] if user is not None else "",
        action=action,
        outcome=outcome,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        detail=_scrub(detail),
    )
    if request is not None:
        event.ip = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        event.method = request.method[:8] if request.method else ""
        event.path = request.path[:255]
    event.save()
    return event


def audit_retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", 180))


@transaction.atomic
def audit_purge(*, older_than_days: int | None = None) -> int:
    """Delete the events older than the retention period (at least 180 days, 等保2.0 requires six months) and log the
    purge itself.

    Only a prefix of the chain goes (every event before the first one still within the period), and a checkpoint
    keeps the last deleted event's ``seq`` and digest, so ``audit_verify`` still checks the rest. On PostgreSQL the
    deletion is the SQL function ``audit_purge_expired`` (migration 0007), which runs with its owner's rights and
    enforces the 180 days itself: the application role has no DELETE on the table.
    """
    days = audit_retention_days() if older_than_days is None else older_than_days
    minimum = audit_retention_days()
    if days < minimum:
        raise ValueError(f"audit events are kept at least {minimum} days")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT deleted FROM audit_purge_expired(%s)", [days])
            deleted = cursor.fetchone()[0]
        cutoff = timezone.now() - datetime.timedelta(days=days)
    else:
        deleted, cutoff = _purge_prefix(days)
    audit_log(
        action=AuditAction.PURGE,
        object_type=AuditEvent._meta.label_lower,
        detail={"cutoff": cutoff.isoformat(), "deleted": deleted, "retention_days": days},
    )
    logger.info("audit purge: %s events before %s deleted", deleted, cutoff)
    return deleted


def _purge_prefix(days: int) -> tuple[int, datetime.datetime]:
    """What ``audit_purge_expired`` does on PostgreSQL, for SQLite (a single writer: no lock to take)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    chain.lock_chain(connection.alias)
    first_kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
    prefix = AuditEvent.objects.filter(at__lt=cutoff)
    if first_kept is not None:
        prefix = prefix.filter(seq__lt=first_kept)
    last = prefix.order_by("-seq").values_list("seq", "entry_hash").first()
    if last is None:
        return 0, cutoff
    token = _purge_in_progress.set(True)
    try:
        deleted, _per_model = AuditEvent.objects.filter(seq__lte=last[0]).delete()
    finally:
        _purge_in_progress.reset(token)
    AuditChainCheckpoint.objects.create(seq=last[0], entry_hash=last[1], cutoff=cutoff)
    return deleted, cutoff
