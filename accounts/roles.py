"""The portal's roles and what each may do in the Django admin.

The three admin roles are separated (三员分立): an account holds exactly one role, so no account can be both system
and security admin, or an admin and an auditor.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("处室填报员")
    REVIEWER = "reviewer", _("审核员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

# Which admin models each role may manage: "app_label.model" → allowed actions. Deny by default.
_ALL = frozenset({"view", "add", "change", "delete"})
ADMIN_MODEL_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSADMIN: {
        "credit.item": frozenset({"view", "change"}),
        "credit.itemfield": frozenset({"view"}),
        "credit.office": frozenset({"view", "change"}),
        "credit.calendarday": _ALL,
        "django_celery_beat.periodictask": _ALL,
        "django_celery_beat.crontabschedule": _ALL,
        "django_celery_beat.intervalschedule": _ALL,
        "django_celery_beat.solarschedule": _ALL,
        "django_celery_beat.clockedschedule": _ALL,
    },
    Role.SECADMIN: {
        "accounts.user": _ALL,
        "authtoken.tokenproxy": frozenset({"view", "delete"}),
    },
}

# Roles that may enter the Django admin at all.
ADMIN_SITE_ROLES = frozenset(ADMIN_MODEL_PERMISSIONS)
