"""Admin views of the reporting app: the ledger, read-only (the workflow is the workspace), and the system admin's
delivery settings (报送设置), whose token is write-only."""

from urllib.parse import urlsplit, urlunsplit

from celery.schedules import ParseException
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_celery_beat import validators as cron_validators
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule

from accounts.roles import Role
from core.errors import DomainError
from credit import crypto
from reporting.models import (
    DELIVERY_SETTINGS_PK,
    TOKEN_MAX_LENGTH,
    DeliverySettings,
    DeliveryTransport,
    ExportBatch,
    ImportJob,
    validate_https_url,
    validate_token,
)
from reporting.schedule_admin import crontab_description
from reporting.services.delivery import (
    DESTINATION_FIELDS,
    delivery_settings_confirm,
    delivery_settings_errors,
    delivery_settings_reject,
    delivery_settings_update,
    pending_changes,
    pending_version,
    proposed_token_base,
)
from reporting.transports import delivery_config


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "item",
        "kind",
        "format",
        "row_count",
        "status",
        "attempts",
        "created_at",
        "delivered_at",
        "receipt",
    ]
    list_filter = ["status", "kind", "item"]
    search_fields = ["receipt", "sha256"]
    exclude = ["file"]  # encrypted at rest, no URL: downloaded through the audited ledger page only


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "item", "office", "created_by", "status", "total_rows", "created_count", "created_at"]
    list_filter = ["status", "item"]
    exclude = ["errors", "file", "error_file"]  # encrypted at rest, no URL: the clerk's audited download only


def _is_sysadmin(request: HttpRequest) -> bool:
    return _has_role(request, Role.SYSADMIN)


def _has_role(request: HttpRequest, role: str) -> bool:
    user = request.user
    return user.is_authenticated and user.is_active and user.role == role


class DeliverySettingsForm(forms.ModelForm):
    """The settings but the token, plus a write-only field to replace it and a box to clear it."""

    new_token = forms.CharField(
        label=_("新接口令牌"),
        required=False,
        max_length=TOKEN_MAX_LENGTH,
        strip=True,
        validators=[validate_token],
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("只写：填写则替换已保存的令牌，留空则保持不变；已保存的令牌不会显示。"),
    )
    clear_token = forms.BooleanField(label=_("清除已保存的令牌"), required=False)
    http_url = forms.URLField(
        label=_("接口地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[validate_https_url],
        help_text=_("须为 https:// 地址；留空则使用环境变量 REPORTING_HTTP_URL（及其令牌 REPORTING_HTTP_TOKEN）"),
    )

    class Meta:
        model = DeliverySettings
        fields = ["transport", "drop_dir", "http_url", "http_timeout", "max_retries"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.pk = DELIVERY_SETTINGS_PK  # the one row (its check constraint is validated with the form)
        # What an empty folder or address falls back to, shown but not filled in (filled in, it would stop following
        # the environment).
        if "drop_dir" in self.fields:  # not on the security admin's read-only view
            self.fields["drop_dir"].widget.attrs["placeholder"] = str(settings.REPORTING_DROP_DIR)
        if (env_url := _shown_url(settings.REPORTING_HTTP_URL)) and "http_url" in self.fields:
            self.fields["http_url"].widget.attrs["placeholder"] = env_url
        if self.instance.has_pending_change and not self.is_bound:
            # The system admin edits the proposal waiting for confirmation, not the settings still in force.
            for name in DESTINATION_FIELDS:
                self.initial[name] = getattr(self.instance, f"pending_{name}")

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("new_token") or "").startswith(crypto.PREFIX):
            self.add_error("new_token", _("接口令牌不能以“%(prefix)s”开头。") % {"prefix": crypto.PREFIX})
        if cleaned.get("new_token") and cleaned.get("clear_token"):
            self.add_error("clear_token", _("不能同时填写新令牌和清除令牌。"))
        has_token = not cleaned.get("clear_token") and bool(
            cleaned.get("new_token") or proposed_token_base(self.instance)
        )
        errors = delivery_settings_errors(
            transport=cleaned.get("transport", ""),
            drop_dir=cleaned.get("drop_dir", ""),
            http_url=cleaned.get("http_url", ""),
            has_token=has_token,
        )
        for field, message in errors.items():
            field = "new_token" if field == "http_token" else field
            if field not in self.errors:  # one reason at a time (an invalid address is not also a missing one)
                self.add_error(field, message)
        return cleaned


def _shown_url(url: str) -> str:
    """The environment address as shown to the system admin: without user info, query or fragment (may hold secrets)."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(admin.ModelAdmin):
    """报送设置: the system admin's (not in the role table of ``accounts.roles``, so allowed here explicitly); saved
    through ``delivery_settings_update`` (audited); never deleted (no row = the environment settings). A new channel,
    folder, address or token waits for a security admin, who sees the settings read-only and confirms or rejects the
    proposal on the confirmation page (``confirm/``)."""

    form = DeliverySettingsForm
    list_display = ["__str__", "transport", "token_status", "max_retries", "pending_status", "updated_at", "updated_by"]
    readonly_fields = ["pending_status", "token_status", "updated_at", "updated_by", "confirmed_at", "confirmed_by"]
    fields = [
        "pending_status",
        "transport",
        "drop_dir",
        "http_url",
        "token_status",
        "new_token",
        "clear_token",
        "http_timeout",
        "max_retries",
        "updated_at",
        "updated_by",
        "confirmed_at",
        "confirmed_by",
    ]

    @admin.display(description=_("接口令牌"))
    def token_status(self, obj: DeliverySettings | None) -> str:
        if obj is not None and obj.has_token:
            return str(_("已设置（加密保存，不显示）"))
        return str(_("未设置（使用环境变量 REPORTING_HTTP_TOKEN，如有）"))

    @admin.display(description=_("变更确认"))
    def pending_status(self, obj: DeliverySettings | None) -> str:
        if obj is None or not obj.has_pending_change:
            return str(_("无待确认的变更"))
        summary = "；".join(
            f"{_field_label(name)}：{change['old'] or '-'} → {change['new'] if name != 'http_token' else _('已更改')}"
            for name, change in pending_changes(obj).items()
        )
        return format_html(
            '{}（{}）<a href="{}">{}</a>',
            _("待安全管理员确认"),
            summary,
            reverse("admin:reporting_deliverysettings_confirm"),
            _("确认页（安全管理员）"),
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """The first save starts from what is in force (the environment), not from the model's defaults: saving the
        add form unchanged must not switch delivery to another channel, timeout or retry count. Folder and address
        stay empty (shown as placeholders), so they keep following the environment."""
        initial = super().get_changeform_initial_data(request)
        config = delivery_config()
        if config.transport in DeliveryTransport.values:
            initial.setdefault("transport", config.transport)
        initial.setdefault("http_timeout", config.http_timeout)
        initial.setdefault("max_retries", config.retries)
        return initial

    def get_fields(self, request: HttpRequest, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):  # the security admin's view: nothing to type a token into
            fields = [name for name in fields if name not in ("new_token", "clear_token")]
        return fields

    def get_urls(self):
        confirm = path(
            "confirm/", self.admin_site.admin_view(self.confirm_view), name="reporting_deliverysettings_confirm"
        )
        return [confirm, *super().get_urls()]

    def confirm_view(self, request: HttpRequest):
        """The security admin's page: the pending proposal, old and new, and 确认 / 驳回 (POST, bound to the version
        shown, so a later proposal is not confirmed unseen)."""
        if not _has_role(request, Role.SECADMIN):
            raise PermissionDenied
        row = DeliverySettings.objects.filter(pk=DELIVERY_SETTINGS_PK).first()
        if request.method == "POST":
            decide = delivery_settings_reject if request.POST.get("decision") == "reject" else delivery_settings_confirm
            try:
                decide(user=request.user, version=request.POST.get("version", ""), request=request)
            except DomainError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                done = _("已驳回该变更。") if decide is delivery_settings_reject else _("已确认，变更生效。")
                self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        pending = row is not None and row.has_pending_change
        context = {
            **self.admin_site.each_context(request),
            "title": _("确认报送设置变更"),
            "opts": self.opts,
            "row": row,
            "pending": pending,
            "changes": [
                {"label": _field_label(name), "old": change["old"], "new": change["new"], "token": name == "http_token"}
                for name, change in (pending_changes(row).items() if pending else [])
            ],
            "version": pending_version(row) if pending else "",
            "own": pending and row.pending_by_id == request.user.pk,
        }
        return TemplateResponse(request, "admin/reporting/deliverysettings/confirm.html", context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request) or _has_role(request, Role.SECADMIN)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # The security admin sees what is in force and what is proposed (addresses are no secret, the token is
        # never shown), to confirm it.
        return _is_sysadmin(request) or _has_role(request, Role.SECADMIN)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_sysadmin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request) and not DeliverySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: DeliverySettings, form, change: bool) -> None:
        data = form.cleaned_data
        row = delivery_settings_update(
            user=request.user,
            transport=data["transport"],
            drop_dir=data.get("drop_dir", ""),
            http_url=data.get("http_url", ""),
            http_timeout=data["http_timeout"],
            max_retries=data["max_retries"],
            new_token=data.get("new_token", ""),
            clear_token=data.get("clear_token", False),
            request=request,
        )
        obj.pk, obj.http_token, obj._state.adding = row.pk, row.http_token, False
        if row.has_pending_change:
            self.message_user(
                request,
                _("报送通道、投递目录、接口地址或令牌的变更待安全管理员确认；确认前报送仍使用原设置。"),
                messages.WARNING,
            )


def _field_label(name: str) -> str:
    if name == "http_token":
        return str(_("接口令牌"))
    return str(DeliverySettings._meta.get_field(name).verbose_name)


# The five crontab fields with their allowed values, for a message in Chinese: django-celery-beat's own validators
# answer in English ("Bad range '5-1'"). A field refused here is left out of the model's validation, so only this shows.
CRONTAB_FIELDS = {
    "minute": (cron_validators.minute_validator, "0–59"),
    "hour": (cron_validators.hour_validator, "0–23"),
    "day_of_month": (cron_validators.day_of_month_validator, "1–31"),
    "month_of_year": (cron_validators.month_of_year_validator, "1–12"),
    "day_of_week": (cron_validators.day_of_week_validator, "0–6（0 为星期日）"),
}


class CrontabScheduleForm(forms.ModelForm):
    class Meta:
        model = CrontabSchedule
        fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")

    def _clean_crontab(self, name: str) -> str:
        value = self.cleaned_data[name]
        validator, values = CRONTAB_FIELDS[name]
        try:
            validator(value)
        except (ValidationError, ValueError, ParseException):
            raise ValidationError(
                _("取值无效：请填写 %(values)s 之间的数字、“*”、范围（如 1-5）、列表（如 1,15）或步长（如 */10）。"),
                code="invalid_crontab",
                params={"values": values},
            ) from None
        return value

    def clean_minute(self):
        return self._clean_crontab("minute")

    def clean_hour(self):
        return self._clean_crontab("hour")

    def clean_day_of_month(self):
        return self._clean_crontab("day_of_month")

    def clean_month_of_year(self):
        return self._clean_crontab("month_of_year")

    def clean_day_of_week(self):
        return self._clean_crontab("day_of_week")


class PortalCrontabScheduleAdmin(CrontabScheduleAdmin):
    """django-celery-beat's crontab admin (the report schedules' timing), whose read-only description survives an
    invalid expression: the form shown again after a refused value such as ``-1`` describes the unsaved instance, and
    celery's crontab parser raises ParseException (not ValueError) there, a 500 instead of the field errors."""

    form = CrontabScheduleForm
    list_display = ("__str__", "schedule_description")
    fields = ("schedule_description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("schedule_description",)

    @admin.display(description=_("说明"))
    def schedule_description(self, obj) -> str:
        try:
            return crontab_description(obj)
        except (ParseException, ValueError):
            return _("（表达式无效）")


admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, PortalCrontabScheduleAdmin)
