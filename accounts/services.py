"""Writes of the accounts app that are not the Django admin's own: enrolling an admin's TOTP device."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.totp import totp_device_unsaved, totp_key_is_valid
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log

ALREADY_ENROLLED = _lazy("您的账号已绑定动态口令设备；如需更换，请联系安全管理员先删除原设备。")


class TOTPEnrolmentError(Exception):
    """An enrolment that cannot be completed; ``field`` is the form field the Chinese message belongs to."""

    def __init__(self, message, *, field: str | None = None):
        self.message = str(message)
        self.field = field
        super().__init__(message)


def _token_verified(device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is a current code of ``device`` (within the device's tolerance, as at sign-in).

    As ``TOTPDevice.verify_token`` does, a match records the step used (a code cannot be replayed at the next
    sign-in) and the clock drift, but on the unsaved device: nothing is written here.
    """
    if not (token.isascii() and token.isdigit() and len(token) == device.digits):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=device.tolerance):
        return False
    device.last_t = totp.t()
    device.drift = totp.drift
    return True


def totp_device_confirm(
    *, user, key: str | None, token: str, name: str = "", request: HttpRequest | None = None
) -> TOTPDevice:
    """Store ``user``'s TOTP device with secret ``key`` once ``token`` proves the authenticator app holds it.

    A wrong code stores nothing and is audited as a failed OTP; an account that already has a confirmed device must
    have it removed by the security admin first (one device per admin, no silent replacement of a second factor).
    """
    if not totp_key_is_valid(key):
        raise TOTPEnrolmentError(_("密钥已失效，请刷新页面后重新扫描二维码。"))
    if user_has_device(user, confirmed=True):
        raise TOTPEnrolmentError(ALREADY_ENROLLED)
    device = totp_device_unsaved(user=user, key=key)
    device.name = (name or "").strip() or _("动态口令认证器")
    if not _token_verified(device, (token or "").strip()):
        audit_log(
            request=request,
            user=user,
            action=AuditAction.OTP_FAILED,
            outcome=AuditOutcome.FAILURE,
            obj=user,
            detail={"stage": "enrol"},
        )
        raise TOTPEnrolmentError(_("动态口令不正确或已过期，请输入认证器应用中当前显示的6位数字。"), field="otp_token")
    with transaction.atomic():
        # Two submissions at once must not leave two devices: the account row serialises them.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if user_has_device(user, confirmed=True):
            raise TOTPEnrolmentError(ALREADY_ENROLLED)
        device.confirmed = True
        device.full_clean()
        device.save()
        audit_log(request=request, user=user, action=AuditAction.CREATE, obj=device, detail={"otp": "totp"})
    return device


def _office_names(offices) -> list[str]:
    return sorted(str(office) for office in offices or ())


def audit_role_grant(*, request: HttpRequest | None, user, old_role: str | None, old_offices) -> None:
    """Audits a grant: the account's role and offices before (``None`` for a new account) and after.

    The admin's own entry says only "已添加。" or which fields changed; the auditor needs the role and offices
    granted, and who granted them.
    """
    actor = getattr(request, "user", None) if request is not None else None
    audit_log(
        request=request,
        user=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction.ROLE_GRANT,
        obj=user,
        detail={
            "role": {"from": old_role, "to": user.role},
            "offices": {
                "from": None if old_offices is None else _office_names(old_offices),
                "to": _office_names(user.offices.all()),
            },
        },
    )
