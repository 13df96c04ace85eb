"""Logs refused requests (HTTP 403) of signed-in users: attempts outside one's duty are themselves audit events."""

from __future__ import annotations

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log


class AuditDeniedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, "audit_denial_logged", False):
            user = getattr(request, "user", None)  # DRF sets the token user on the Django request too
            if user is not None and user.is_authenticated:
                audit_log(
                    request=request,
                    user=user,
                    action=AuditAction.ACCESS_DENIED,
                    outcome=AuditOutcome.DENIED,
                    detail={"status": 403},
                )
        return response
