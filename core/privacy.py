"""Responses that carry personal data (a full ID number, a file of records) are kept out of every cache.

A browser's disk cache and back/forward cache would otherwise keep a revealed ID number after the user signed out,
and a shared proxy could hand it to someone else. Code that shows personal data marks the request
(``mark_personal_data``) and ``PrivateResponseMiddleware`` makes that request's response uncacheable; a view that
builds a file response itself may pass it to ``private_response`` directly.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

_FLAG = "carries_personal_data"


def private_response(response: HttpResponseBase) -> HttpResponseBase:
    """Mark ``response`` as never to be stored (``Cache-Control: no-store, private``; ``Pragma`` for HTTP/1.0)."""
    add_never_cache_headers(response)
    response["Pragma"] = "no-cache"
    return response


def mark_personal_data(request) -> None:
    """Note that the response to ``request`` will carry personal data (a DRF ``Request`` or a Django one)."""
    setattr(getattr(request, "_request", request), _FLAG, True)


def carries_personal_data(request: HttpRequest) -> bool:
    return bool(getattr(request, _FLAG, False))


class PrivateResponseMiddleware:
    """Makes the response uncacheable when the view marked its request with ``mark_personal_data``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if carries_personal_data(request):
            private_response(response)
        return response
