"""The system admin's delivery settings (报送设置): one row, validated whole, audited without the token's value."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.scoping import require_role
from credit import crypto
from reporting.models import DELIVERY_SETTINGS_PK, DeliverySettings, DeliveryTransport
from reporting.transports import delivery_host_allowed

EDITABLE_FIELDS = ("transport", "drop_dir", "http_url", "http_timeout", "max_retries")


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
    it, ``clear_token`` removes it, neither keeps it; it is stored encrypted and never written to the audit log."""
    require_role(user, Role.SYSADMIN, message=_("只有系统管理员可以修改报送设置。"))
    row = DeliverySettings.objects.select_for_update().filter(pk=DELIVERY_SETTINGS_PK).first()
    created = row is None
    row = row or DeliverySettings(pk=DELIVERY_SETTINGS_PK)
    new_token = (new_token or "").strip()
    has_token = not clear_token and bool(new_token or row.http_token)
    errors = delivery_settings_errors(
        transport=transport, drop_dir=drop_dir, http_url=(http_url or "").strip(), has_token=has_token
    )
    if new_token.startswith(crypto.PREFIX):  # would be taken for a ciphertext and stored in clear
        errors["http_token"] = _("接口令牌不能以“%(prefix)s”开头。") % {"prefix": crypto.PREFIX}
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(row, name) for name in EDITABLE_FIELDS}
    row.transport, row.drop_dir, row.http_url = transport, (drop_dir or "").strip(), (http_url or "").strip()
    row.http_timeout, row.max_retries = http_timeout, max_retries
    token = "unchanged"
    if clear_token:
        row.http_token, token = "", "cleared"
    elif new_token:
        row.http_token, token = new_token, "replaced"
    row.updated_at, row.updated_by = timezone.now(), user
    row.full_clean()
    row.save()
    changed = [name for name in EDITABLE_FIELDS if getattr(row, name) != before[name]]
    # Old and new values (the token aside): where batches go is what an auditor needs to see, not just that it moved.
    changes = {name: {"old": _logged(name, before[name]), "new": _logged(name, getattr(row, name))} for name in changed}
    audit_log(
        request=request,
        user=user,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=row,
        detail={"changed_fields": changed, "changes": changes, "token_action": token},
    )
    return row


def _logged(name: str, value):
    """A setting's value as written to the audit log: an address without user info, query or fragment (may hold
    secrets)."""
    if name == "http_url" and value:
        parts = urlsplit(value)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
    return value
