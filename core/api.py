"""The REST API's one translation of errors into HTTP, so no API view catches a domain error itself.

400 invalid input (field → Chinese messages, ``non_field_errors`` for the rest), 403 a wrong role, 404 missing or out
of the user's scope, 409 a stale version or a state that no longer allows the action (HackSoft's
``api/exception_handlers.py``; set as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

A value in the body that the user may not use (a clerk naming an office that is not theirs, in the record, import or
licence write) is an authorization refusal, not invalid input: the same body from another user would succeed. It is
a ``core.errors.ForbiddenError`` → 403, keyed by that field (``{"office": ["报送处室：…"]}``) so a client and a form
know which value was refused. A value that names nothing (an unknown office code) is 400; an object addressed by the
URL outside the user's scope is 404, as the scoping rule says.

What no API view answers (an address under ``/api/`` that names no endpoint, a request refused before it reaches one,
an unexpected exception) goes to Django's error handlers; ``config.urls`` sets them to ``error_handler``'s, which
answer such a request in the API's own shape (``{"detail": "未找到。"}``) instead of the portal's HTML error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``DomainError`` → its ``status_code`` (400, ``ForbiddenError`` 403, ``StateError`` 409) with its ``detail``;
    everything else, including Django's ``PermissionDenied`` (403) and ``Http404`` (404), as DRF answers it."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(exc.detail, status=exc.status_code)
    return drf_exception_handler(exc, context)


API_PATH = "/api/"

# Django's error handler of each status, the page a browser gets, and the API's body for the same refusal (DRF's own
# default messages, translated as DRF translates them).
_HANDLERS: dict[int, tuple[Callable[..., HttpResponse], type[exceptions.APIException]]] = {
    400: (defaults.bad_request, exceptions.ParseError),
    403: (defaults.permission_denied, exceptions.PermissionDenied),
    404: (defaults.page_not_found, exceptions.NotFound),
    500: (defaults.server_error, exceptions.APIException),
}


def error_handler(status: int) -> Callable[..., HttpResponse]:
    """Django's ``handler<status>`` for ``config.urls``: JSON ``{"detail": …}`` for a request under ``/api/`` (what an
    API client parses), the portal's error page (``templates/<status>.html``) for everything else."""
    page, api_exception = _HANDLERS[status]

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path_info.startswith(API_PATH):
            return JsonResponse({"detail": str(api_exception.default_detail)}, status=status)
        return page(request) if status == 500 else page(request, exception)

    handler.__name__ = f"handler{status}"
    return handler
