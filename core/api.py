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
an unexpected exception) is answered in the same shape by ``core.error_pages.error_handler``.
"""

from __future__ import annotations

from typing import Any

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
