from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("用户与角色")

    def ready(self) -> None:
        from accounts import schema, signals  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, restricted to the system and security admins (see accounts.admin_site)."""

    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
