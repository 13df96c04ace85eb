"""The one gate of every staff page and API endpoint, with the same answers everywhere:

- anonymous: the login page (pages) or 401/403 (API, as DRF answers an unauthenticated request);
- signed in, but a role that does not belong in the area at all (e.g. an admin role in the workspace): 403;
- the object the URL names is outside the user's scope (``ScopedQuerySet.restrict``), or does not exist: 404 — this is
  decided *before* the view's own role, so an object one may not see never reveals that it exists;
- the object is in scope but the view is for another role: 403.

Pages use ``RoleRequiredMixin`` (class-based) or ``role_required`` (functions); objects are loaded with
``get_object_in_scope``; API views list ``role_permission(...)`` in ``permission_classes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.permissions import BasePermission

from core.scoping import is_active_user


def has_role(user, roles: Iterable[str]) -> bool:
    """Whether ``user`` is signed in, active and holds one of ``roles``."""
    return is_active_user(user) and user.role in roles


def login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """The sign-in page, and after it back where the user can carry on.

    A page asked for (GET) comes back to its own address. A form sent without a live session (the session expired
    while the user was typing, or a button such as 提交审核 was pressed on a page left open) comes back to the page the
    form was on, its same-site ``Referer``: the address the form was sent to may take POST only, and opening it after
    signing in would do nothing but answer 405; on the form's page the typed values are restored (the drafts) and the
    button is there to press again. Without a usable ``Referer`` the user lands on their home.
    """
    if request.method in ("GET", "HEAD"):
        return redirect_to_login(request.get_full_path())
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        page = urlsplit(referer)
        if page.path and not page.path.startswith(settings.LOGIN_URL):
            return redirect_to_login(page.path + (f"?{page.query}" if page.query else ""))
    return redirect(settings.LOGIN_URL)


def get_object_in_scope(model_or_queryset, user, action: str = "view", **lookup) -> Any:
    """The object ``lookup`` names among those ``user`` may reach for ``action``; 404 when missing or out of scope.

    The queryset must be scoped (``core.scoping.ScopedQuerySet``): loading an unscoped model this way is an error,
    not a silent "everything".
    """
    queryset = model_or_queryset
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset.restrict(user, action), **lookup)


class RoleRequiredMixin(AccessMixin):
    """A staff page: ``area_roles`` may enter (others 403), ``roles`` may use this view (others 403, after the scope).

    Set ``scope_queryset`` (a scoped queryset) to load the object the URL's ``scope_url_kwarg`` names before the role
    check, as ``self.object`` (and as ``scope_attribute`` when given); or override ``check_scope`` for other lookups.
    """

    roles: ClassVar[frozenset[str]] = frozenset()
    # Who may enter the area at all; by default those who may use the view.
    area_roles: ClassVar[frozenset[str] | None] = None
    scope_queryset: ClassVar[models.QuerySet | None] = None
    scope_action: ClassVar[str] = "view"
    scope_url_kwarg: ClassVar[str] = "pk"
    scope_attribute: ClassVar[str | None] = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return login_redirect(request)
        if not has_role(user, self.roles if self.area_roles is None else self.area_roles):
            raise PermissionDenied(self.get_permission_denied_message())
        self.check_scope(request, *args, **kwargs)
        if user.role not in self.roles:
            raise PermissionDenied(self.get_permission_denied_message())
        return super().dispatch(request, *args, **kwargs)

    def check_scope(self, request, *args, **kwargs) -> None:
        """Load the object the URL names (404 outside the user's scope) before the role check, so 404 wins."""
        if self.scope_queryset is None:
            return
        self.object = get_object_in_scope(
            self.scope_queryset.all(), request.user, self.scope_action, pk=kwargs[self.scope_url_kwarg]
        )
        if self.scope_attribute:
            setattr(self, self.scope_attribute, self.object)


def role_required(*roles: str, message: str | None = None) -> Callable:
    """The gate of a function view: anonymous → login page; signed in without one of ``roles`` → 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return login_redirect(request)
            if not has_role(request.user, roles):
                raise PermissionDenied(message) if message else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RolePermission(BasePermission):
    """DRF: the request's user holds one of ``roles`` (anonymous → 401/403 as DRF decides, wrong role → 403)."""

    roles: ClassVar[frozenset[str]] = frozenset()

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, self.roles)


def role_permission(*roles: str) -> type[RolePermission]:
    """A ``RolePermission`` class for ``roles``, for ``permission_classes``."""
    return type("RolePermission", (RolePermission,), {"roles": frozenset(roles)})
