"""The portal's roles and what each may do in the Django admin.

The three admin roles are separated (三员分立): an account holds exactly one role, so no account can be both system
and security admin, or an admin and an auditor.
"""

from core.roles import Role  # defined below every app, so the audit log can name roles too

ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# The roles of the workspace (/workspace/, /api/v1/): the offices' clerks and the General Office's reviewers.
WORKSPACE_ROLES = frozenset({Role.CLERK, Role.REVIEWER})

# Which admin models each role may manage: "app_label.model" → allowed actions. Deny by default.
_ALL = frozenset({"view", "add", "change", "delete"})
ADMIN_MODEL_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSADMIN: {
        "credit.item": frozenset({"view", "change"}),
        "credit.itemfield": frozenset({"view"}),
        "credit.office": frozenset({"view", "change"}),
        "credit.calendarday": _ALL,
        "publicity.publicityperiodrule": _ALL,
        # 信用审查 rules (which dishonesty counts against an award, how far back): seeded, edited, never added.
        "vetting.checkrule": frozenset({"view", "change"}),
        # 信用评价 rules (weights, windows): seeded, edited, never added.
        "vetting.evaluationrule": frozenset({"view", "change"}),
        "django_celery_beat.periodictask": _ALL,
        "django_celery_beat.crontabschedule": _ALL,
        "django_celery_beat.intervalschedule": _ALL,
        "django_celery_beat.solarschedule": _ALL,
        "django_celery_beat.clockedschedule": _ALL,
        # The security admin's grants of a role or offices, to approve or reject (accounts.admin).
        "accounts.pendingrolegrant": frozenset({"view"}),
    },
    Role.SECADMIN: {
        "accounts.user": _ALL,
        # API tokens: list (no key: only a hash is stored) and revoke; never create one for somebody else.
        "accounts.apitoken": frozenset({"view", "delete"}),
        # Lockouts (django-axes): see and lift them.
        "axes.accessattempt": frozenset({"view", "delete"}),
        "axes.accessfailurelog": frozenset({"view"}),
        "axes.accesslog": frozenset({"view"}),
        # The admins' second-factor devices (django-otp): see, rename, delete a lost one; never add one for somebody
        # else (a device the owner does not hold locks them out of the admin). Each admin binds their own.
        "otp_totp.totpdevice": frozenset({"view", "change", "delete"}),
        "otp_static.staticdevice": frozenset({"view", "change", "delete"}),
    },
}

# Roles that may enter the Django admin at all.
ADMIN_SITE_ROLES = frozenset(ADMIN_MODEL_PERMISSIONS)


# Where each role lands after signing in (URL names): the workspace, the audit log, the admin site.
ROLE_HOME: dict[str, str] = {
    Role.CLERK: "credit:dashboard",
    Role.REVIEWER: "credit:dashboard",
    Role.AUDITOR: "audit:event-list",
    Role.SYSADMIN: "admin:index",
    Role.SECADMIN: "admin:index",
}


# Where each role may go, beside the views' own checks (accounts.middleware.RoleSeparationMiddleware): URL prefixes
# closed to a role, and exceptions inside them. The records live under /workspace/ and /api/v1/; the audit log under
# /workspace/audit/. The admin site (/admin/) is not listed: it admits only the system and security admins
# (``ADMIN_SITE_ROLES``) and splits its models between them by ``ADMIN_MODEL_PERMISSIONS``.
PUBLIC_API_PREFIX = "/api/v1/public/"
AUDIT_PREFIX = "/workspace/audit/"
ROLE_CLOSED_PREFIXES: dict[str, tuple[str, ...]] = {
    Role.CLERK: (AUDIT_PREFIX,),
    Role.REVIEWER: (AUDIT_PREFIX,),
    Role.SYSADMIN: ("/workspace/", "/api/v1/"),
    Role.SECADMIN: ("/workspace/", "/api/v1/"),
    Role.AUDITOR: ("/workspace/", "/api/v1/"),
}
ROLE_OPEN_PREFIXES: dict[str, tuple[str, ...]] = {
    Role.AUDITOR: (AUDIT_PREFIX, PUBLIC_API_PREFIX),
    Role.SYSADMIN: (PUBLIC_API_PREFIX,),
    Role.SECADMIN: (PUBLIC_API_PREFIX,),
}
# The audit admin changes nothing: the only writes it may make are signing in and out and its own password / OTP.
AUDITOR_WRITABLE_PREFIXES = ("/accounts/",)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def role_may_access(role: str, path: str, method: str) -> bool:
    """Whether ``role`` may send ``method`` to ``path`` at all (the views still check the object and action).

    ``path`` is the request's ``path_info``, without any script prefix, so the prefixes above match under a
    sub-path deployment too.
    """
    if role == Role.AUDITOR and method.upper() not in _SAFE_METHODS and not path.startswith(AUDITOR_WRITABLE_PREFIXES):
        return False
    if path.startswith(ROLE_OPEN_PREFIXES.get(role, ())):
        return True
    return not path.startswith(ROLE_CLOSED_PREFIXES.get(role, ()))
