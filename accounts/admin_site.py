"""The admin site: open only to the system and security admins; each sees only the models of their duty.

An admin who has a confirmed TOTP device (django-otp) must also pass the one-time password before entering
(``/admin/otp/``); admins without a device sign in with their password only (the second factor is optional) and can
bind one themselves at ``/admin/two-factor/`` (QR code or the secret typed by hand, then a code to confirm it).
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalAdminAuthenticationForm


def otp_required(user) -> bool:
    """Whether ``user`` has a confirmed second-factor device and so must verify it."""
    try:
        from django_otp import user_has_device
    except ImportError:  # pragma: no cover
        return False
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def otp_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


# Longer than anything an admin searches for. The admin splits a search into words and ORs every word over every search
# field: a pasted page of text is thousands of conditions (SQLite: "Expression tree is too large", a 500).
MAX_SEARCH_LENGTH = 100


def bounded_query(view):
    """Wrap an admin view so that its query string never breaks the database: NUL characters are dropped from every
    parameter (PostgreSQL refuses them in text, a 500 instead of "nothing found"; nothing stored holds one) and the
    search (``?q=``) is cut to ``MAX_SEARCH_LENGTH`` characters, with a message saying so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        params = request.GET
        search = params.get(SEARCH_VAR, "").replace("\x00", "")
        too_long = len(search) > MAX_SEARCH_LENGTH
        if too_long or any("\x00" in value for _key, values in params.lists() for value in values):
            params = params.copy()
            for key, values in list(params.lists()):
                params.setlist(key, [value.replace("\x00", "") for value in values])
            if too_long:
                params[SEARCH_VAR] = search[:MAX_SEARCH_LENGTH]
                messages.warning(request, _("搜索词过长：仅按前 %(n)d 个字符检索。") % {"n": MAX_SEARCH_LENGTH})
            params._mutable = False
            request.GET = params
        return view(request, *args, **kwargs)

    return wrapper


class OTPVerifyForm(forms.Form):
    otp_token = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TOTPEnrolForm(forms.Form):
    name = forms.CharField(
        label=_("设备名称"),
        max_length=64,
        required=False,
        help_text=_("便于识别的名称，如“办公手机”；可不填。"),
    )
    otp_token = forms.CharField(
        label=_("动态口令"),
        max_length=16,
        help_text=_("扫描二维码或手工输入密钥后，认证器应用中显示的6位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PortalAdminSite(admin.AdminSite):
    site_header = _("南昌市教育局信用信息平台 · 系统管理")
    site_title = _("信用信息平台管理")
    index_title = _("系统管理")
    # The index adds the link to bind a TOTP device (accounts/templates/admin/portal_index.html).
    index_template = "admin/portal_index.html"
    login_form = PortalAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and (user.is_superuser or user.is_staff)):
            return False
        if otp_verified(request):
            return True
        # Asked by the view, its context and the sidebar of one page: the admin's devices are read once per request.
        owed = getattr(request, "_portal_otp_owed", None)
        if owed is None or owed[0] != user.pk:
            owed = request._portal_otp_owed = (user.pk, otp_required(user))
        return not owed[1]

    def login(self, request, extra_context=None):
        # A signed-in admin who still owes the second factor goes to the OTP page, not back to the password form.
        user = request.user
        if (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and otp_required(user)
            and not otp_verified(request)
        ):
            target = reverse("admin:otp-verify", current_app=self.name)
            next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
            return HttpResponseRedirect(
                f"{target}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else target
            )
        return super().login(request, extra_context)

    def i18n_javascript(self, request, extra_context=None):
        """The admin's JavaScript catalogue plus the strings of Django 5.2 its zh_Hans lacks ("Choose all …"),
        from accounts/locale (djangojs)."""
        from django.views.i18n import JavaScriptCatalog

        return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "accounts"])(request)

    def admin_view(self, view, cacheable=False):
        return super().admin_view(bounded_query(view), cacheable)

    def get_urls(self):
        return [
            path("otp/", self.otp_verify, name="otp-verify"),
            # Not under otp/: that prefix is exempt from the password-age rule (accounts.middleware), enrolment is not.
            path("two-factor/", self.admin_view(self.otp_enrol), name="otp-enrol"),
            *super().get_urls(),
        ]

    def otp_enrol(self, request):
        """Bind a TOTP device to the signed-in admin: QR code and secret, then a code from the app to confirm.

        Behind ``admin_view``: an admin who already has a device has passed it in this session. The pending secret
        stays in the (server-side) session until confirmed, so reloading the page shows the same QR code.
        """
        from django_otp import login as otp_login
        from django_otp import user_has_device

        from accounts.services import TOTPEnrolmentError, totp_device_confirm
        from accounts.totp import (
            PENDING_KEY_SESSION_KEY,
            qr_svg,
            totp_device_unsaved,
            totp_key_is_valid,
            totp_key_new,
            totp_secret_groups,
        )

        user = request.user
        context = {**self.each_context(request), "title": _("绑定动态口令设备")}
        if user_has_device(user, confirmed=True):
            request.session.pop(PENDING_KEY_SESSION_KEY, None)
            return TemplateResponse(request, "admin/otp_enrol.html", {**context, "enrolled": True})

        key = request.session.get(PENDING_KEY_SESSION_KEY)
        form = TOTPEnrolForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                device = totp_device_confirm(
                    user=user,
                    key=key,
                    token=form.cleaned_data["otp_token"],
                    name=form.cleaned_data["name"],
                    request=request,
                )
            except TOTPEnrolmentError as exc:
                form.add_error(exc.field, exc.message)
            else:
                request.session.pop(PENDING_KEY_SESSION_KEY, None)
                otp_login(request, device)
                messages.success(request, _("动态口令设备已绑定。今后登录管理后台，输入密码后还须输入动态口令。"))
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        if not totp_key_is_valid(key):
            key = totp_key_new()
            request.session[PENDING_KEY_SESSION_KEY] = key
        config_url = totp_device_unsaved(user=user, key=key).config_url
        context.update(
            form=form,
            qr_svg=qr_svg(config_url, title=_("动态口令二维码")),
            secret=totp_secret_groups(key),
            issuer=getattr(settings, "OTP_TOTP_ISSUER", ""),
            account=user.get_username(),
        )
        return TemplateResponse(request, "admin/otp_enrol.html", context)

    def otp_verify(self, request):
        """The second step of the admin sign-in: a TOTP code from the admin's device."""
        from django_otp import devices_for_user, match_token
        from django_otp import login as otp_login

        from audit.models import AuditAction, AuditOutcome
        from audit.services import audit_log

        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        if not otp_required(user) or otp_verified(request):
            return HttpResponseRedirect(next_url)
        form = OTPVerifyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device = match_token(user, form.cleaned_data["otp_token"].strip())
            if device is not None and device in list(devices_for_user(user, confirmed=True)):
                otp_login(request, device)
                audit_log(request=request, action=AuditAction.OTP_VERIFIED, obj=user)
                return HttpResponseRedirect(next_url)
            audit_log(request=request, action=AuditAction.OTP_FAILED, outcome=AuditOutcome.FAILURE, obj=user)
            form.add_error("otp_token", _("动态口令不正确或已过期。"))
        context = {
            **self.each_context(request),
            "title": _("动态口令验证"),
            "form": form,
            "next": next_url,
            "site_header": self.site_header,
        }
        return TemplateResponse(request, "admin/otp_verify.html", context)
