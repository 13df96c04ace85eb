"""Sign-in forms that refuse an over-long username before it is looked up.

Django's ``AuthenticationForm`` sets the username's ``max_length`` after the field is built, so the length is never
validated: a 5000-character username reached django-axes, whose failed-attempt row (``username`` varchar 255) made
PostgreSQL raise (a 500 on the sign-in page). With the validator, the field error is shown and nothing is looked up.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN_ROLES, Role


class _BoundedUsernameMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PortalAuthenticationForm(_BoundedUsernameMixin, AuthenticationForm):
    """The staff sign-in form (``/accounts/login/``)."""


class PortalAdminAuthenticationForm(_BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin sign-in form (``/admin/login/``).

    An account of the workspace or the audit admin that signs in here with its right password is told where its own
    door is, rather than Django's "enter a correct username and password" (which made the audit admin think the
    password wrong). Only after the password matched: a wrong password still gets the one message for every failure.
    """

    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            if user.role == Role.AUDITOR:
                message = _(
                    "审计管理员不使用系统管理后台：请从工作人员登录页（/accounts/login/）登录，登录后进入审计日志。"
                )
            else:
                message = _("该账号不使用系统管理后台：请从工作人员登录页（/accounts/login/）登录，登录后进入工作台。")
            raise forms.ValidationError(message, code="not_admin_site")
        super().confirm_login_allowed(user)


class _NoOfficesForAdminsMixin:
    """An admin account (system, security, audit) holds no office: offices open records, a business permission,
    and 三员分立 keeps the admins out of the business."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role", getattr(self.instance, "role", None))
        offices = cleaned.get("offices")
        if role in ADMIN_ROLES and offices:
            self.add_error(
                "offices", forms.ValidationError(_("所属处室：管理员角色（系统、安全、审计）不能分配处室。"))
            )
        return cleaned


class UserAddForm(_NoOfficesForAdminsMixin, auth_forms.AdminUserCreationForm):
    """The admin's "add user" form."""


class UserChangeForm(_NoOfficesForAdminsMixin, auth_forms.UserChangeForm):
    """The admin's "change user" form."""
