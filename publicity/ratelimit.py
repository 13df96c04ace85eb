"""How often the public column accepts objections and repair applications: per client address and overall.

Each one opens a statutory ten-working-day case and may carry an evidence file, so an anonymous client must not be
able to file them without bound. Two levels per scope, counted in fixed windows of the Django cache
(``PUBLICITY_REQUEST_WINDOW_SECONDS``; shared by all workers when the cache is Redis, as in production):

* up to the *limit* (``PUBLICITY_REQUEST_LIMIT_PER_ADDRESS``, ``…_GLOBAL``) a visitor simply files;
* beyond it, each filing needs a solved challenge (``publicity.challenge``): a person can still file;
* at the *ceiling* (``PUBLICITY_REQUEST_CEILING_PER_ADDRESS``, ``…_GLOBAL``) the form answers 429 until the window ends.
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
    """Why a filing was refused and when the current window ends (seconds from now, epoch). ``challenge``: refused
    only for want of a solved challenge (the limit was passed, not the ceiling)."""

    scope: str  # "address" or "global"
    retry_after: int
    retry_at: float
    challenge: bool = False


@dataclass(frozen=True)
class Standing:
    """Where this client stands in the current window: refused outright, or asked to solve a challenge."""

    refusal: Refusal | None
    challenge: bool


@dataclass(frozen=True)
class _Counter:
    scope: str
    key: str
    limit: int
    ceiling: int


def _window() -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    length = max(int(settings.PUBLICITY_REQUEST_WINDOW_SECONDS), 1)
    now = int(time.time())
    return now // length, length - now % length


def _counters(request: HttpRequest, window: int) -> list[_Counter]:
    # The address as the audit log and the lockout see it (trusted proxies only); an unparsable one shares one bucket.
    address = client_ip(request) or "unknown"
    per_address = int(settings.PUBLICITY_REQUEST_LIMIT_PER_ADDRESS)
    overall = int(settings.PUBLICITY_REQUEST_LIMIT_GLOBAL)
    return [
        _Counter(
            "address",
            f"{_PREFIX}:{window}:ip:{address}",
            per_address,
            max(per_address, int(settings.PUBLICITY_REQUEST_CEILING_PER_ADDRESS)),
        ),
        _Counter(
            "global", f"{_PREFIX}:{window}:all", overall, max(overall, int(settings.PUBLICITY_REQUEST_CEILING_GLOBAL))
        ),
    ]


def _refusal(scope: str, left: int, *, challenge: bool = False) -> Refusal:
    return Refusal(scope=scope, retry_after=left, retry_at=time.time() + left, challenge=challenge)


def request_standing(request: HttpRequest) -> Standing:
    """Whether this client (or everybody) already reached the ceiling, or the limit beyond which a challenge is asked;
    counts nothing."""
    window, left = _window()
    challenge = False
    for counter in _counters(request, window):
        count = cache.get(counter.key, 0)
        if count >= counter.ceiling:
            return Standing(refusal=_refusal(counter.scope, left), challenge=False)
        challenge = challenge or count >= counter.limit
    return Standing(refusal=None, challenge=challenge)


def request_slot_take(request: HttpRequest, *, challenge_solved: bool = False) -> Refusal | None:
    """Count one filing for this client and overall, or refuse it: at a ceiling, or past a limit without a solved
    challenge (``Refusal.challenge``).

    The counters are incremented atomically, so concurrent requests cannot all slip under a limit; a refused filing
    gives its slots back so it does not push the client's other counter.
    """
    window, left = _window()
    timeout = left + 60
    taken: list[str] = []
    for counter in _counters(request, window):
        cache.add(counter.key, 0, timeout)
        try:
            count = cache.incr(counter.key)
        except ValueError:  # expired between add and incr
            cache.add(counter.key, 1, timeout)
            count = 1
        taken.append(counter.key)
        refusal = None
        if count > counter.ceiling:
            refusal = _refusal(counter.scope, left)
        elif count > counter.limit and not challenge_solved:
            refusal = _refusal(counter.scope, left, challenge=True)
        if refusal:
            for done in taken:
                try:
                    cache.decr(done)
                except ValueError:
                    pass
            return refusal
    return None


def request_slot_release(request: HttpRequest) -> None:
    """Give back a slot taken for a filing that was then not saved (the service refused it)."""
    window, _left = _window()
    for counter in _counters(request, window):
        try:
            cache.decr(counter.key)
        except ValueError:
            pass


def download_slot_take(request: HttpRequest) -> Refusal | None:
    """Count one anonymous open-data CSV download for this client address, or refuse it once the address has had
    ``PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS`` in the current window (``PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS``)."""
    length = max(int(settings.PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS), 1)
    now = int(time.time())
    window, left = now // length, length - now % length
    key = f"publicity:downloads:{window}:ip:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, left + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, left + 60)
        count = 1
    if count > int(settings.PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS):
        return _refusal("address", left)
    return None
