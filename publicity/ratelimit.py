"""How often the public column accepts objections and repair applications: per client address and overall.

Each one opens a statutory ten-working-day case and may carry an evidence file, so an anonymous client must not be
able to file them without bound. Fixed windows in the Django cache (``PUBLICITY_REQUEST_WINDOW_SECONDS``): the
counters are shared by all workers when the cache is Redis (production), per process with the local-memory cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from audit.services import client_ip

_PREFIX = "publicity:requests"


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused and when the current window ends (seconds from now, epoch)."""

    scope: str  # "address" or "global"
    retry_after: int
    retry_at: float


def _window() -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    length = max(int(settings.PUBLICITY_REQUEST_WINDOW_SECONDS), 1)
    now = int(time.time())
    return now // length, length - now % length


def _keys(request: HttpRequest, window: int) -> list[tuple[str, str, int]]:
    # The address as the audit log and the lockout see it (trusted proxies only); an unparsable one shares one bucket.
    address = client_ip(request) or "unknown"
    return [
        ("address", f"{_PREFIX}:{window}:ip:{address}", int(settings.PUBLICITY_REQUEST_LIMIT_PER_ADDRESS)),
        ("global", f"{_PREFIX}:{window}:all", int(settings.PUBLICITY_REQUEST_LIMIT_GLOBAL)),
    ]


def _refusal(scope: str, left: int) -> Refusal:
    return Refusal(scope=scope, retry_after=left, retry_at=time.time() + left)


def request_limit_reached(request: HttpRequest) -> Refusal | None:
    """Whether this client (or everybody) already filed the most the window allows; counts nothing."""
    window, left = _window()
    for scope, key, limit in _keys(request, window):
        if cache.get(key, 0) >= limit:
            return _refusal(scope, left)
    return None


def request_slot_take(request: HttpRequest) -> Refusal | None:
    """Count one filing for this client and overall, or refuse it when either count is already at its limit.

    The counters are incremented atomically, so concurrent requests cannot all slip under the limit; a refused
    filing gives its slot back so it does not push the client's other counter.
    """
    window, left = _window()
    timeout = left + 60
    taken: list[str] = []
    for scope, key, limit in _keys(request, window):
        cache.add(key, 0, timeout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
            count = 1
        taken.append(key)
        if count > limit:
            for done in taken:
                try:
                    cache.decr(done)
                except ValueError:
                    pass
            return _refusal(scope, left)
    return None


def request_slot_release(request: HttpRequest) -> None:
    """Give back a slot taken for a filing that was then not saved (the service refused it)."""
    window, _left = _window()
    for _scope, key, _limit in _keys(request, window):
        try:
            cache.decr(key)
        except ValueError:
            pass
