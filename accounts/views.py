"""The staff sign-in page: each role lands on its own home (``accounts.roles.ROLE_HOME``).

A ``next`` the role may not open (the auditor sent to sign in from /workspace/) is dropped for the home page, so
nobody signs in straight onto a 403.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import views
from django.urls import reverse

from accounts.forms import PortalAuthenticationForm
from accounts.roles import ADMIN_SITE_ROLES, ROLE_HOME, role_may_access


def role_home(user) -> str:
    """The page ``user`` starts from; the public column's home for an account without a known role."""
    name = ROLE_HOME.get(getattr(user, "role", ""))
    return reverse(name) if name else "/"


class PortalLoginView(views.LoginView):
    authentication_form = PortalAuthenticationForm

    def get_success_url(self):
        user = self.request.user
        target = self.get_redirect_url()  # "" unless a safe ``next`` was given
        if target and _may_open(user, urlsplit(target).path):
            return target
        return role_home(user)


def _may_open(user, path: str) -> bool:
    # The admin site lets in only the system and security admins (``ADMIN_SITE_ROLES``), beside the role prefixes.
    if path.startswith(reverse("admin:index")) and user.role not in ADMIN_SITE_ROLES:
        return False
    return role_may_access(user.role, path, "GET")
