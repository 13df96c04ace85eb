from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.api_tokens import api_token_refusal, api_tokens_revoke
from accounts.forms import UserAddForm, UserChangeForm
from accounts.models import ApiToken, PendingRoleGrant, User
from accounts.roles import Role
from accounts.services import (
    audit_role_grant,
    grant_needs_approval,
    role_grant_approve,
    role_grant_hold,
    role_grant_reject,
)
from accounts.sessions import user_sessions_revoke
from audit.models import AuditAction
from audit.services import audit_log
from core.admin_display import yes_no
from core.errors import DomainError
from core.forms import BoundedModelMultipleChoiceField


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "is_active",
        "grant_status",
        "last_login",
        "password_changed_at",
    )
    list_filter = ("role", "is_active", "offices")
    filter_horizontal = ("offices",)
    formfield_overrides = {models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField}}
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("角色与处室"), {"fields": ("role", "offices", "is_active", "grant_status")}),
        (_("时间"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "offices")}),)
    readonly_fields = ("last_login", "date_joined", "password_changed_at", "grant_status")
    # What no one may change on their own account: a security admin cannot make themselves system admin or auditor
    # (三员分立), give themselves offices (and so records), or deactivate the account they are using.
    OWN_ACCOUNT_READONLY = ("role", "offices", "is_active")
    actions = ["revoke_sessions"]

    @staticmethod
    def _is_own(request, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.pk == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if self._is_own(request, obj):
            fields += tuple(f for f in self.OWN_ACCOUNT_READONLY if f not in fields)
        return fields

    @admin.display(description=_("授权审批"))
    def grant_status(self, obj) -> str:
        if obj is None or not obj.grant_pending:
            return "-"
        granter = obj.grant_requested_by.get_username() if obj.grant_requested_by else "-"
        return str(_("待系统管理员批准（授权人：%(granter)s）；批准前账号不能登录")) % {"granter": granter}

    def save_model(self, request, obj, form, change):
        # The account as it was, to tell what this save grants (the form's initial data lacks read-only fields).
        before = User.objects.filter(pk=obj.pk).first() if change else None
        obj._grant_before = None
        if before is not None:
            obj._grant_before = (before.role, set(before.offices.values_list("pk", flat=True)), before.is_active)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # After the offices are saved: the audit entry names the role and the offices, before and after.
        if not change or {"role", "offices"} & set(form.changed_data):
            audit_role_grant(
                request=request,
                user=user,
                old_role=form.initial.get("role") if change else None,
                old_offices=form.initial.get("offices") if change else None,
            )
        # A grant by the security admin of any role but clerk, or of offices, waits for the system admin (L6).
        old_role, old_offices, old_active = getattr(user, "_grant_before", None) or (None, None, None)
        if request.user.role == Role.SECADMIN and grant_needs_approval(
            user=user, old_role=old_role, old_offices=old_offices, old_active=old_active
        ):
            role_grant_hold(request=request, user=user)
            self.message_user(
                request,
                _("该授权（角色或处室）须经系统管理员批准；批准前账号“%(name)s”不能登录。") % {"name": user.username},
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        if self._is_own(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The bulk "delete selected" action asks ``has_delete_permission`` without an object: a selection holding
        # the admin's own account is refused there (Django answers 403 to the confirmation) and named on the page.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(obj.pk == request.user.pk for obj in objs):
            perms_needed = {*perms_needed, _("您本人的账号")}
        return deleted, model_count, perms_needed, protected

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


@admin.register(PendingRoleGrant)
class PendingRoleGrantAdmin(admin.ModelAdmin):
    """The system admin's page of grants held for approval (L6): approve or reject, never edit. The granter and the
    account itself cannot decide (``role_grant_approve``)."""

    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "office_names",
        "grant_requested_by",
        "grant_requested_at",
    )
    fields = ("username", "last_name", "first_name", "role", "office_names", "grant_requested_by", "grant_requested_at")
    readonly_fields = fields
    actions = ["approve", "reject"]

    @admin.display(description=_("所属处室"))
    def office_names(self, obj) -> str:
        return "、".join(sorted(str(office) for office in obj.offices.all())) or "-"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.role == Role.SYSADMIN

    def _decide(self, request, queryset, decide, done) -> None:
        count = 0
        for user in queryset:
            try:
                decide(approver=request.user, user=user, request=request)
            except DomainError as exc:
                self.message_user(request, f"{user.username}：{'；'.join(exc.messages)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("批准所选授权"), permissions=["approve"])
    def approve(self, request, queryset):
        self._decide(request, queryset, role_grant_approve, _("已批准 %(n)d 项授权。"))

    @admin.action(description=_("驳回所选授权（账号保持停用）"), permissions=["approve"])
    def reject(self, request, queryset):
        self._decide(request, queryset, role_grant_reject, _("已驳回 %(n)d 项授权。"))


# django-otp's device admins: labels named in config/third_party_apps.py; fieldset titles, help texts (hard-coded
# English on the model fields, which migrations track, so given here by the form) and the boolean column in Chinese.
OTP_FIELDSET_NAMES = {
    "Identity": _("设备"),
    "Timestamps": _("时间"),
    "Configuration": _("口令参数"),
    "State": _("状态"),
    "Throttling": _("验证失败限制"),
}
OTP_HELP_TEXTS = {
    "user": _("该设备所属的用户。"),
    "name": _("便于识别的设备名称。"),
    "confirmed": _("设备是否已确认可用。"),
    "confirmed_shown": _("设备是否已确认可用。"),
    "created_at": _("设备在系统中创建的时间。"),
    "last_used_at": _("最近一次使用该设备的时间。"),
    "key": _("十六进制编码的密钥，至多 40 字节。"),
    "step": _("每个时间步的秒数。"),
    "t0": _("开始计算时间步的时刻（自 1970-01-01 00:00 UTC 起的秒数）。"),
    "digits": _("口令的位数。"),
    "tolerance": _("允许前后偏差的时间步数。"),
    "drift": _("已知的验证端时钟与本系统的偏差（时间步数）。"),
    "throttling_failure_timestamp": _("最近一次验证失败的时间；最近一次验证成功则为空。"),
    "throttling_failure_count": _("连续验证失败的次数。"),
}


class ChineseDeviceAdminMixin:
    search_help_text = _("按用户名或电子邮件地址搜索")
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed_shown"]

    @admin.display(description=_("已确认"), ordering="confirmed")
    def confirmed_shown(self, obj) -> str:
        return yes_no(obj.confirmed)

    def get_fieldsets(self, request, obj=None):
        return [(OTP_FIELDSET_NAMES.get(name, name), opts) for name, opts in super().get_fieldsets(request, obj)]

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("help_texts", OTP_HELP_TEXTS)
        return super().get_form(request, obj, **kwargs)


class OwnDeviceOnlyAdminMixin:
    """Nobody adds a second-factor device for someone else in the admin, and a device's owner and confirmation cannot
    be changed: a security admin could otherwise plant a confirmed device on another admin's account (a TOTP key they
    chose, or backup codes they know, or none at all, which leaves that admin at /admin/otp/ with no code that works).
    Each admin binds their own at /admin/two-factor/; the security admin may still rename or delete a lost device."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "user", "confirmed", "confirmed_shown"]

    def get_fieldsets(self, request, obj=None):
        # "confirmed" is read-only here: shown as 是/否, not as Django's icon with its English alt text.
        return [
            (name, {**opts, "fields": [f if f != "confirmed" else "confirmed_shown" for f in opts["fields"]]})
            for name, opts in super().get_fieldsets(request, obj)
        ]


class PortalTOTPDeviceAdmin(OwnDeviceOnlyAdminMixin, ChineseDeviceAdminMixin, TOTPDeviceAdmin):
    """django-otp's TOTP device admin, whose configuration and QR code pages answer 404 (not a 500) for a device
    that does not exist (they look it up with ``objects.get``). No device is added here, and its owner, key and
    confirmation cannot be changed (``OwnDeviceOnlyAdminMixin``)."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "key"]

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


class PortalStaticDeviceAdmin(OwnDeviceOnlyAdminMixin, ChineseDeviceAdminMixin, StaticDeviceAdmin):
    """django-otp's backup-code (备用口令) device admin, in Chinese. No device is added here and its owner and
    confirmation cannot be changed (``OwnDeviceOnlyAdminMixin``); its codes are never shown or added (the package
    hides the inline of an existing device, and the security admin has no permission on the codes)."""


# Importing django-otp's admin modules has registered their own classes (whichever app's admin was discovered first).
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, PortalTOTPDeviceAdmin)
admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, PortalStaticDeviceAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The API tokens, for the security admin to see and revoke (H2).

    No key is shown, because none is stored (only its SHA-512 digest); the digest is not shown either. Nobody adds a
    token here: a security admin who could make a token for a reviewer and read its key once would be that reviewer
    to the API. Tokens are made by ``manage.py create_api_token <username>`` on the server, which prints the key
    once. Every look at the list or at a token is written to the audit log.
    """

    list_display = ("user", "prefix", "created", "expiry", "last_used_at", "state")
    list_filter = ("user__role",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = ("user", "prefix", "created", "expiry", "last_used_at", "state")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.display(description=_("令牌前缀"))
    def prefix(self, obj) -> str:
        return f"{obj.display_prefix}…"

    @admin.display(description=_("状态"))
    def state(self, obj) -> str:
        refusal = api_token_refusal(obj)
        return str(_("有效")) if refusal is None else refusal

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Revoking goes through ``revoke_tokens`` (one audit event per token with its owner and prefix).
        actions.pop("delete_selected", None)
        return actions

    def _audit_view(self, request, **detail) -> None:
        audit_log(
            request=request,
            action=AuditAction.VIEW_PERSONAL_DATA,
            object_type=ApiToken._meta.label_lower,
            object_id=detail.pop("object_id", ""),
            detail={"page": "admin_api_tokens", **detail},
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200 and getattr(response, "context_data", None):
            changelist = response.context_data.get("cl")
            if changelist is not None:
                self._audit_view(request, rows=changelist.result_count)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self._audit_view(request, object_id=object_id)
        return response

    @admin.action(description=_("吊销所选 API 令牌"), permissions=["delete"])
    def revoke_tokens(self, request, queryset):
        count = api_tokens_revoke(tokens=queryset.select_related("user"), request=request)
        self.message_user(
            request,
            ngettext("已吊销 %(n)d 个 API 令牌。", "已吊销 %(n)d 个 API 令牌。", count) % {"n": count},
            messages.SUCCESS,
        )


# django-axes' admins (sign-in failures and lockouts, the security admin's): labels from the project's catalogue; the
# status column, the clean-up action's message, the boolean column and the "<unknown>" axes stores for a missing
# header are hard-coded English, given in Chinese here. Permissions and read-only fields are the package's.
AXES_UNKNOWN = "<unknown>"
AXES_SHOWN = {"user_agent": "shown_user_agent", "path_info": "shown_path_info", "http_accept": "shown_http_accept"}


def _axes_value(value) -> str:
    return _("（未知）") if value in (AXES_UNKNOWN, None, "") else value


class AxesValuesFilter(admin.AllValuesFieldListFilter):
    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == AXES_UNKNOWN:
                choice = {**choice, "display": _("（未知）")}
            yield choice


class ChineseAxesAdminMixin:
    def get_list_display(self, request):
        return [AXES_SHOWN.get(f, f) for f in super().get_list_display(request)]

    def get_list_filter(self, request):
        return [(f, AxesValuesFilter) if f == "path_info" else f for f in super().get_list_filter(request)]

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**opts, "fields": [AXES_SHOWN.get(f, f) for f in opts["fields"]]})
            for name, opts in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *AXES_SHOWN.values()]

    @admin.display(description=_("浏览器标识"), ordering="user_agent")
    def shown_user_agent(self, obj) -> str:
        return _axes_value(obj.user_agent)

    @admin.display(description=_("路径"), ordering="path_info")
    def shown_path_info(self, obj) -> str:
        return _axes_value(obj.path_info)

    @admin.display(description=_("可接受的内容类型"))
    def shown_http_accept(self, obj) -> str:
        return _axes_value(obj.http_accept)


class PortalAccessAttemptAdmin(ChineseAxesAdminMixin, AccessAttemptAdmin):
    @admin.display(description=_("状态"))
    def status(self, obj) -> str:
        limit = axes_settings.AXES_FAILURE_LIMIT
        if obj.failures_since_start >= limit:
            return _("已锁定")
        return _("还可尝试 %(n)d 次") % {"n": limit - obj.failures_since_start}

    @admin.action(description=_("清理已过期的登录失败记录"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, _("已清理 %(n)d 条过期的登录失败记录。") % {"n": count})


class PortalAccessLogAdmin(ChineseAxesAdminMixin, AccessLogAdmin):
    pass


class PortalAccessFailureLogAdmin(ChineseAxesAdminMixin, AccessFailureLogAdmin):
    list_display = ("attempt_time", "ip_address", "username", "user_agent", "path_info", "locked_out_shown")

    @admin.display(description=_("登录锁定"), ordering="locked_out")
    def locked_out_shown(self, obj) -> str:
        return yes_no(obj.locked_out)


for _model, _admin_class in (
    (AccessAttempt, PortalAccessAttemptAdmin),
    (AccessLog, PortalAccessLogAdmin),
    (AccessFailureLog, PortalAccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
