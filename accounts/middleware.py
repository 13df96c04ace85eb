"""Request-time security rules of the accounts app, in the order they run (see config/settings/security.py):

- ``SessionTimeoutMiddleware``: ends a session idle for 30 minutes or older than 12 hours;
- ``PasswordExpiryMiddleware``: sends a user whose password is older than 90 days to the password change page;
- ``RoleSeparationMiddleware``: keeps each admin role out of the areas outside its duty (三员分立), beside the views'
  own checks.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from accounts.roles import role_may_access
from accounts.sessions import AUTH_AT_KEY, LAST_ACTIVITY_KEY, absolute_timeout, idle_timeout
from core.access import login_redirect
from core.error_pages import is_api

# Write the last-activity stamp at most this often, so not every request rewrites the session row.
_ACTIVITY_RESOLUTION = 30


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated and hasattr(request, "session"):
            self._warn_if_session_lost(request)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            started = session.get(AUTH_AT_KEY)
            last = session.get(LAST_ACTIVITY_KEY)
            reason = None
            if last is not None and now - last > idle_timeout():
                reason = "idle"
            elif started is not None and now - started > absolute_timeout():
                reason = "absolute"
            if reason:
                return self._expire(request, user, reason)
            if started is None:
                session[AUTH_AT_KEY] = now
            if last is None or now - last >= _ACTIVITY_RESOLUTION:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _warn_if_session_lost(request) -> None:
        """A workspace page asked with a session cookie the server no longer knows (expired in the store, ended by a
        sign-out elsewhere or a password change): the sign-in page it is sent to says why."""
        if (
            request.path_info.startswith("/workspace/")
            and request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and request.session.is_empty()
        ):
            message = _(
                "您的登录已失效（超时、已在别处退出或密码已修改），请重新登录；本窗口中未提交成功的内容将在登录后恢复。"
            )
            messages.warning(request, message)

    def _expire(self, request, user, reason: str):
        from audit.models import AuditAction
        from audit.services import audit_log

        audit_log(request=request, user=user, action=AuditAction.SESSION_EXPIRED, detail={"reason": reason})
        request.session.flush()
        request.user = AnonymousUser()
        message = _("会话已超时，请重新登录。") if reason == "idle" else _("登录已超过12小时，请重新登录。")
        if request.method == "POST":
            # Say what became of what was typed: the form was not processed (nothing of it was saved).
            message = "%s %s" % (message, _("刚才提交的内容未保存，登录后将恢复，请核对后重新提交。"))
        if is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        return login_redirect(request)


class PasswordExpiryMiddleware:
    """A password older than ``PASSWORD_MAX_AGE_DAYS`` must be changed before anything else is done."""

    EXEMPT_URL_NAMES = ("password_change", "password_change_done", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            paths = []
            for name in self.EXEMPT_URL_NAMES:
                try:
                    paths.append(reverse(name))
                except Exception:
                    continue
            # Matched against ``path_info``, which never carries the script prefix that ``reverse`` adds.
            prefix = get_script_prefix()
            paths = ["/" + path.removeprefix(prefix) for path in paths]
            paths += [settings.STATIC_URL, "/admin/otp/", "/admin/logout/", "/healthz"]
            self._exempt = tuple(paths)
        return self._exempt

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "password_expired", False)
            and not request.path_info.startswith(self.exempt_paths())
        ):
            message = _("您的密码已超过90天未修改，请先修改密码。")
            if is_api(request):
                return JsonResponse({"detail": message}, status=403)
            messages.warning(request, message)
            return redirect(f"{reverse('password_change')}?next={request.path}")
        return self.get_response(request)


def _token_user(request):
    """The owner of a usable API token in the Authorization header (DRF authenticates only inside the view; a token
    the view would refuse — unknown, expired, dead with a password change or forced sign-out — gives ``None``)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "token" or not key:
        return None
    from accounts.api_tokens import api_token_user

    return api_token_user(key)


class RoleSeparationMiddleware:
    """Refuses (403) a request of an admin role to an area outside its duty, and any write of the audit admin.

    The views check permissions themselves; this is the second, central line that keeps a future view forgetting
    its check from opening the records to the system admin or the audit log to the security admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            user = _token_user(request) if is_api(request) else None
        if user is not None and user.is_authenticated:
            # ``path_info`` and not ``path``: a script prefix (a sub-path deployment, or a SCRIPT_NAME header passed on
            # by a forwarder) would otherwise keep every role prefix from matching.
            allowed = role_may_access(user.role, request.path_info, request.method)
            if not allowed:
                self._log(request, user)
                if is_api(request):
                    return JsonResponse({"detail": _("您的角色无权执行此操作。")}, status=403)
                request.audit_denial_logged = True
                raise PermissionDenied(_("您的角色无权访问该页面。"))
        return self.get_response(request)

    @staticmethod
    def _log(request, user) -> None:
        from audit.models import AuditAction, AuditOutcome
        from audit.services import audit_log

        audit_log(
            request=request,
            user=user,
            action=AuditAction.ACCESS_DENIED,
            outcome=AuditOutcome.DENIED,
            detail={"rule": "role_separation"},
        )
        request.audit_denial_logged = True


class RequestBodyLimitMiddleware:
    """Refuses (413) a request whose declared body exceeds ``REQUEST_BODY_MAX_BYTES`` before Django reads it.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count uploaded files, which Django streams to temporary files of any
    size; this bounds them too. The reverse proxy should enforce the same limit (nginx ``client_max_body_size``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "REQUEST_BODY_MAX_BYTES", None)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            from django.http import HttpResponse
            from django.template.loader import render_to_string

            mb = limit // (1024 * 1024)
            if is_api(request):
                return JsonResponse({"detail": _("上传内容过大（上限 %(mb)d MB）。") % {"mb": mb}}, status=413)
            # The portal's error page, rendered without the request: nothing of it (session, user) is read yet.
            return HttpResponse(render_to_string("413.html", {"limit_mb": mb}), status=413)
        return self.get_response(request)
