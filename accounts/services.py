"""Writes of the accounts app that are not the Django admin's own: enrolling an admin's TOTP device, auditing role
grants and holding the security admin's grants for the system admin's approval."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.totp import totp_device_unsaved, totp_key_is_valid
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from core.errors import NON_FIELD, ForbiddenError, StateError
from core.scoping import require_role

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


# Roles whose grant by the security admin needs the system admin's approval: every role but clerk (a clerk with
# offices needs it too, for the offices). The system admin approves, not the auditor: the auditor changes nothing
# (三员分立: it audits the approvals), and the system admin is the other administrator, who holds no account rights.
APPROVAL_ROLES = frozenset({Role.REVIEWER, Role.SECADMIN, Role.SYSADMIN, Role.AUDITOR})


def _office_pks(offices) -> set:
    return {getattr(office, "pk", office) for office in offices or ()}


def grant_needs_approval(*, user, old_role: str | None, old_offices, old_active: bool | None) -> bool:
    """Whether saving ``user`` (role and offices as saved) grants something the system admin must approve: a new
    account, or a reactivated one, holding a role of ``APPROVAL_ROLES`` or any office; a role of ``APPROVAL_ROLES``
    newly given; an office added. ``old_role`` is ``None`` for a new account."""
    offices = _office_pks(user.offices.all())
    sensitive = user.role in APPROVAL_ROLES or bool(offices)
    if old_role is None:
        return sensitive
    if user.role != old_role and user.role in APPROVAL_ROLES:
        return True
    if offices - _office_pks(old_offices):
        return True
    return sensitive and user.is_active and not old_active


def _grant_detail(user) -> dict:
    return {"role": user.role, "offices": _office_names(user.offices.all())}


@transaction.atomic
def role_grant_hold(*, request: HttpRequest | None, user) -> None:
    """Hold a grant for the system admin's approval: the account is inactive (its sessions end) until approved, and
    the auditor is alerted (a ``role_grant_pending`` event, highlighted in the audit log)."""
    actor = getattr(request, "user", None) if request is not None else None
    wanted_active = user.is_active or (user.grant_pending and user.grant_requested_active)
    user.grant_requested_active = wanted_active
    user.is_active = False
    user.grant_requested_by = actor if actor is not None and actor.is_authenticated else None
    user.grant_requested_at = timezone.now()
    user.save()
    audit_log(
        request=request,
        user=user.grant_requested_by,
        action=AuditAction.ROLE_GRANT_PENDING,
        obj=user,
        detail={**_grant_detail(user), "awaiting": "sysadmin_approval", "activate_when_approved": wanted_active},
    )


def _pending_grant(user_pk, approver):
    user = get_user_model().objects.select_for_update().filter(pk=user_pk).first()
    if user is None or not user.grant_pending:
        raise StateError({NON_FIELD: _("该账号没有待批准的授权（可能已被批准或驳回）。")})
    if approver.pk == user.grant_requested_by_id:
        raise ForbiddenError({NON_FIELD: _("授权人不能批准或驳回自己作出的授权。")})
    if approver.pk == user.pk:
        raise ForbiddenError({NON_FIELD: _("不能批准或驳回对本人账号的授权。")})
    return user


def _clear_grant(user) -> None:
    user.grant_requested_by, user.grant_requested_at, user.grant_requested_active = None, None, False


@transaction.atomic
def role_grant_approve(*, approver, user, request: HttpRequest | None = None):
    """The system admin, neither the granter nor the account, approves a held grant: the account becomes usable."""
    require_role(approver, Role.SYSADMIN, message=_("只有系统管理员可以批准授权。"))
    user = _pending_grant(user.pk, approver)
    granter = user.grant_requested_by
    user.is_active = user.grant_requested_active
    _clear_grant(user)
    user.save()
    audit_log(
        request=request,
        user=approver,
        action=AuditAction.APPROVE,
        obj=user,
        detail={**_grant_detail(user), "granted_by": granter.get_username() if granter else None},
    )
    return user


@transaction.atomic
def role_grant_reject(*, approver, user, request: HttpRequest | None = None):
    """The system admin rejects a held grant: the account stays inactive (the security admin may grant again)."""
    require_role(approver, Role.SYSADMIN, message=_("只有系统管理员可以驳回授权。"))
    user = _pending_grant(user.pk, approver)
    granter = user.grant_requested_by
    _clear_grant(user)
    user.save()
    audit_log(
        request=request,
        user=approver,
        action=AuditAction.REJECT,
        obj=user,
        detail={**_grant_detail(user), "granted_by": granter.get_username() if granter else None},
    )
    return user
