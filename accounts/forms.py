"""Sign-in forms that refuse an over-long username before it is looked up.

Django's ``AuthenticationForm`` sets the username's ``max_length`` after the field is built, so the length is never
validated: a 5000-character username reached django-axes, whose failed-attempt row (``username`` varchar 255) made
PostgreSQL raise (a 500 on the sign-in page). With the validator, the field error is shown and nothing is looked up.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _BoundedUsernameMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PortalAuthenticationForm(_BoundedUsernameMixin, AuthenticationForm):
    """The staff sign-in form (``/accounts/login/``)."""


class PortalAdminAuthenticationForm(_BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin sign-in form (``/admin/login/``)."""
