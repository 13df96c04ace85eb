from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "offices")
    filter_horizontal = ("offices",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("角色与处室"), {"fields": ("role", "offices", "is_active")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "offices")}),)
    readonly_fields = ("last_login", "date_joined")
