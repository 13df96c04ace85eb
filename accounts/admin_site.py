"""The admin site: open only to the system and security admins; each sees only the models of their duty."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("南昌市教育局信用信息平台 · 系统管理")
    site_title = _("信用信息平台管理")
    index_title = _("系统管理")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.is_staff))
