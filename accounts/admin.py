from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.sessions import user_sessions_revoke


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "is_active", "last_login", "password_changed_at")
    list_filter = ("role", "is_active", "offices")
    filter_horizontal = ("offices",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("角色与处室"), {"fields": ("role", "offices", "is_active")}),
        (_("时间"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "offices")}),)
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    actions = ["revoke_sessions"]

    @admin.action(description=_("强制下线（结束所选用户的全部会话）"), permissions=["change"])
    def revoke_sessions(self, request, queryset):
        count = 0
        for user in queryset:
            user_sessions_revoke(user=user, request=request, reason="admin")
            count += 1
        self.message_user(
            request,
            ngettext("已强制 %(n)d 个用户下线。", "已强制 %(n)d 个用户下线。", count) % {"n": count},
            messages.SUCCESS,
        )
