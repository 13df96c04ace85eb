"""The system admin's delivery settings (报送设置): one row, validated whole, audited without the token's value; a new
destination waits for a security admin's confirmation."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.errors import NON_FIELD, ForbiddenError, StateError
from core.scoping import require_role
from credit import crypto
from reporting.models import (
    DELIVERY_SETTINGS_PK,
    TOKEN_MAX_LENGTH,
    DeliverySettings,
    DeliveryTransport,
    validate_https_url,
    validate_token,
)
from reporting.transports import delivery_host_allowed


def delivery_settings_errors(*, transport: str, drop_dir: str, http_url: str, has_token: bool = True) -> dict[str, str]:
    """What makes these settings unusable, by field (in Chinese): a relative folder; HTTP without any address; HTTP to
    an address set here without a token set here (``has_token``: whether the row will hold one), since the
    environment token only goes to the environment address."""
    errors = {}
    drop_dir = (drop_dir or "").strip()
    if drop_dir and not (PurePosixPath(drop_dir).is_absolute() or PureWindowsPath(drop_dir).is_absolute()):
        errors["drop_dir"] = _("“投递目录”须为服务器上的绝对路径，例如 /mnt/exchange/credit。")
    if (http_url or "").strip() and not delivery_host_allowed(http_url.strip()):
        # Batches carry full ID numbers: the system admin picks among the hosts the operators allowed, no other.
        errors["http_url"] = _(
            "“接口地址”的主机不在允许的报送平台之列（环境变量 REPORTING_DELIVERY_ALLOWED_HOSTS，"
            "或 REPORTING_HTTP_URL 的主机），请联系运维人员。"
        )
    elif transport == DeliveryTransport.HTTP and not (http_url or settings.REPORTING_HTTP_URL):
        errors["http_url"] = _("报送通道为“HTTP 接口”时须填写“接口地址”（环境变量中也未配置）。")
    elif transport == DeliveryTransport.HTTP and (http_url or "").strip() and not has_token:
        errors["http_token"] = _(
            "报送通道为“HTTP 接口”且在此填写了“接口地址”时，须同时在此设置“接口令牌”："
            "环境变量中的令牌只发往环境变量中的地址。"
        )
    return errors


# Where batches go: a change of any of these waits for a security admin's confirmation (两人确认).
DESTINATION_FIELDS = ("transport", "drop_dir", "http_url")
# Applied at once: they change how hard delivery tries, not where the batch goes.
DIRECT_FIELDS = ("http_timeout", "max_retries")


def _new_row() -> DeliverySettings:
    """The first row as the environment settings it replaces: empty folder and address (they follow the environment),
    the environment's channel. A proposal saved with it applies only once confirmed."""
    row = DeliverySettings(pk=DELIVERY_SETTINGS_PK)
    if settings.REPORTING_TRANSPORT in DeliveryTransport.values:
        row.transport = settings.REPORTING_TRANSPORT
    return row


def proposed_token_base(row: DeliverySettings | None) -> str:
    """The token an edit keeps when it neither replaces nor clears it: the pending proposal's, else the one in force."""
    if row is None:
        return ""
    return row.pending_http_token if row.has_pending_change else row.http_token


def _clear_pending(row: DeliverySettings) -> None:
    row.pending_transport = row.pending_drop_dir = row.pending_http_url = row.pending_http_token = ""
    row.pending_at, row.pending_by = None, None


@transaction.atomic
def delivery_settings_update(
    *,
    user,
    transport: str,
    drop_dir: str = "",
    http_url: str = "",
    http_timeout: int = 60,
    max_retries: int = 5,
    new_token: str = "",
    clear_token: bool = False,
    request=None,
) -> DeliverySettings:
    """Save the delivery settings (creating the row the first time). The token is write-only: ``new_token`` replaces
    it, ``clear_token`` removes it, neither keeps it; it is stored encrypted and never written to the audit log.

    Timeout and retries apply at once. A new channel, folder, address or token is only proposed: it is stored as
    pending and deliveries keep the confirmed settings until a security admin confirms it
    (``delivery_settings_confirm``). Saving the settings in force again withdraws a pending proposal."""
    require_role(user, Role.SYSADMIN, message=_("只有系统管理员可以修改报送设置。"))
    row = DeliverySettings.objects.select_for_update().filter(pk=DELIVERY_SETTINGS_PK).first()
    created = row is None
    row = row or _new_row()
    new_token = (new_token or "").strip()
    token = "" if clear_token else (new_token or proposed_token_base(row))
    proposed = {"transport": transport, "drop_dir": (drop_dir or "").strip(), "http_url": (http_url or "").strip()}
    errors = delivery_settings_errors(
        transport=transport, drop_dir=proposed["drop_dir"], http_url=proposed["http_url"], has_token=bool(token)
    )
    # The proposal is stored in the pending fields: the checks of the fields it will go to, under their names.
    for name, value, validators in (
        ("http_url", proposed["http_url"], [validate_https_url]),
        ("http_token", new_token, [MaxLengthValidator(TOKEN_MAX_LENGTH), validate_token]),
    ):
        try:
            for validator in validators if value else ():
                validator(value)
        except ValidationError as exc:
            errors.setdefault(name, exc.messages[0])
    if new_token.startswith(crypto.PREFIX):  # would be taken for a ciphertext and stored in clear
        errors["http_token"] = _("接口令牌不能以“%(prefix)s”开头。") % {"prefix": crypto.PREFIX}
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(row, name) for name in DIRECT_FIELDS}
    row.http_timeout, row.max_retries = http_timeout, max_retries
    moved = [name for name in DESTINATION_FIELDS if proposed[name] != getattr(row, name)]
    token_moves = token != row.http_token
    was_pending = row.has_pending_change
    if moved or token_moves:
        row.pending_transport, row.pending_drop_dir, row.pending_http_url = (
            proposed["transport"],
            proposed["drop_dir"],
            proposed["http_url"],
        )
        row.pending_http_token = token
        row.pending_at, row.pending_by = timezone.now(), user
        status = "pending_confirmation"
    else:
        _clear_pending(row)
        status = "withdrawn" if was_pending else "in_force"
    row.updated_at, row.updated_by = timezone.now(), user
    row.full_clean()
    row.save()
    changed = [name for name in DIRECT_FIELDS if getattr(row, name) != before[name]]
    # Old and new values (the token aside): where batches go is what an auditor needs to see, not just that it moved.
    changes = {name: {"old": _logged(name, before[name]), "new": _logged(name, getattr(row, name))} for name in changed}
    changes.update(
        {name: {"old": _logged(name, getattr(row, name)), "new": _logged(name, proposed[name])} for name in moved}
    )
    audit_log(
        request=request,
        user=user,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=row,
        detail={
            "changed_fields": [*changed, *moved],
            "changes": changes,
            "token_action": ("cleared" if not token else "replaced") if token_moves else "unchanged",
            "awaiting_confirmation": [*moved, *(["http_token"] if token_moves else [])],
            "status": status,
        },
    )
    return row


def _pending_row(version: str | None) -> DeliverySettings:
    row = DeliverySettings.objects.select_for_update().filter(pk=DELIVERY_SETTINGS_PK).first()
    if row is None or not row.has_pending_change:
        raise StateError({NON_FIELD: _("没有待确认的报送设置变更（可能已被确认、驳回或撤回）。")})
    if version is not None and version != pending_version(row):
        raise StateError({NON_FIELD: _("待确认的变更在您查看后又被修改，请核对页面上的新内容后再确认。")})
    return row


def pending_version(row: DeliverySettings) -> str:
    """Names one proposal: a confirmation applies to the proposal the security admin saw, not a later one."""
    return row.pending_at.isoformat() if row.pending_at else ""


def pending_changes(row: DeliverySettings) -> dict:
    """What a pending proposal changes, old and new (as logged: no token value, no user info or query in addresses)."""
    changes = {
        name: {"old": _logged(name, getattr(row, name)), "new": _logged(name, getattr(row, f"pending_{name}"))}
        for name in DESTINATION_FIELDS
        if getattr(row, name) != getattr(row, f"pending_{name}")
    }
    if row.pending_http_token != row.http_token:
        changes["http_token"] = {"old": "", "new": "changed"}
    return changes


@transaction.atomic
def delivery_settings_confirm(*, user, version: str | None = None, request=None) -> DeliverySettings:
    """A security admin, not the proposer, puts the pending channel, folder, address or token in force."""
    require_role(user, Role.SECADMIN, message=_("只有安全管理员可以确认报送设置的变更。"))
    row = _pending_row(version)
    if row.pending_by_id == user.pk:
        raise ForbiddenError({NON_FIELD: _("提出变更的人不能确认自己的变更，须由另一名安全管理员确认。")})
    # Checked again: the operators' allow-list may have changed since the proposal.
    errors = delivery_settings_errors(
        transport=row.pending_transport,
        drop_dir=row.pending_drop_dir,
        http_url=row.pending_http_url,
        has_token=bool(row.pending_http_token),
    )
    if errors:
        raise ValidationError(errors)
    changes, proposer = pending_changes(row), row.pending_by
    row.transport, row.drop_dir, row.http_url = row.pending_transport, row.pending_drop_dir, row.pending_http_url
    row.http_token = row.pending_http_token
    _clear_pending(row)
    row.confirmed_at, row.confirmed_by = timezone.now(), user
    row.full_clean()
    row.save()
    audit_log(
        request=request,
        user=user,
        action=AuditAction.APPROVE,
        obj=row,
        detail={"changes": changes, "proposed_by": proposer.get_username() if proposer else None},
    )
    return row


@transaction.atomic
def delivery_settings_reject(*, user, version: str | None = None, request=None) -> DeliverySettings:
    """A security admin discards the pending proposal; the settings in force stay."""
    require_role(user, Role.SECADMIN, message=_("只有安全管理员可以驳回报送设置的变更。"))
    row = _pending_row(version)
    changes, proposer = pending_changes(row), row.pending_by
    _clear_pending(row)
    row.save()
    audit_log(
        request=request,
        user=user,
        action=AuditAction.REJECT,
        obj=row,
        detail={"changes": changes, "proposed_by": proposer.get_username() if proposer else None},
    )
    return row


def _logged(name: str, value):
    """A setting's value as written to the audit log: an address without user info, query or fragment (may hold
    secrets)."""
    if name == "http_url" and value:
        parts = urlsplit(value)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
    return value
