"""The portal's five roles: the vocabulary every layer checks against (``user.role``).

It lives in ``core`` so that every app, the audit log included, can name a role without importing ``accounts``
(which sits above ``audit``: it writes audit entries). What each role may do is declared where it is enforced:
``accounts.roles`` for the admin site and URL areas, each model's ``scope_rules`` for objects.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("处室填报员")
    REVIEWER = "reviewer", _("审核员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")
