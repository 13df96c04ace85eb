"""The REST API's one translation of errors into HTTP, so no API view catches a domain error itself.

400 invalid input (field → Chinese messages, ``non_field_errors`` for the rest), 403 a wrong role, 404 missing or out
of the user's scope, 409 a stale version or a state that no longer allows the action (HackSoft's
``api/exception_handlers.py``; set as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``DomainError`` → its ``status_code`` (400, ``StateError`` 409) with its ``detail``; everything else, including
    Django's ``PermissionDenied`` (403) and ``Http404`` (404), as DRF answers it."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(exc.detail, status=exc.status_code)
    return drf_exception_handler(exc, context)
