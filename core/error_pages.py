"""What the portal answers when no view does: Django's error handlers (set in ``config.urls``) and the 405 page.

Under ``/api/`` the answer is the API's JSON, ``{"detail": …}`` with DRF's own message, the same body an endpoint gives
for the same refusal (an address that names no endpoint, a body over the limit, an unexpected exception). Everywhere
else it is the portal's page in Chinese: ``templates/<status>.html`` saying what happened and what to do next.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework import exceptions

API_PATH = "/api/"

# Django's error view of each status (the page) and the API's exception for the same refusal (the body).
_HANDLERS: dict[int, tuple[Callable[..., HttpResponse], type[exceptions.APIException]]] = {
    400: (defaults.bad_request, exceptions.ParseError),
    403: (defaults.permission_denied, exceptions.PermissionDenied),
    404: (defaults.page_not_found, exceptions.NotFound),
    500: (defaults.server_error, exceptions.APIException),
}


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the REST API (its answers are JSON), not for a page."""
    return request.path_info.startswith(API_PATH)


def error_handler(status: int) -> Callable[..., HttpResponse]:
    """Django's ``handler<status>``: JSON under ``/api/`` (what an API client parses), the portal's page elsewhere."""
    page, api_exception = _HANDLERS[status]

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if is_api(request):
            return JsonResponse({"detail": str(api_exception.default_detail)}, status=status)
        return page(request) if status == 500 else page(request, exception)

    handler.__name__ = f"handler{status}"
    return handler


class MethodNotAllowedPageMiddleware:
    """A page's address asked with a method it does not take — a button's address that only takes POST (提交审核, 撤回,
    退出登录) opened from a bookmark, the address bar or the browser's history — gets the portal's 405 page, saying that
    nothing was done and how to carry on, instead of Django's empty response (a blank page). The API's 405 stays DRF's
    JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content or is_api(request):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
