"""Anonymous public pages served from the shared cache (Redis in production, a local-memory cache in the SQLite demo).

What a page shows depends on the entries of its sections, so every cached page is stored with the *versions* of what
it shows, and served only while they are all current: one version per section (``penalties``, ``red-list``,
``licences``, ``black-list``), one for the articles (policies and news), and one per entry for a detail page (a change
to one entry leaves the other entries' pages in the cache). A version is a random token kept in the cache without
expiry; ``changed`` replaces it whenever the column's data changes (``publicity.receivers``: saves of publications,
licences, black-list entries, objections and articles, and credit's ``record_changed`` for the records behind them),
so the pages stored under the old token are never served again. A token, not a counter: if the cache evicts a version
key the next reader draws a new token, and no old page can come back. The version is replaced at once (the same
process sees the change at once, and tests see it inside their transaction) and again when the transaction commits,
so a page rendered from the old data by another request meanwhile carries a token nobody accepts any more. The page
and its versions are read in one round trip.

Expiry needs no event: the key holds today's date (Beijing time), so an entry past its end leaves every page at
midnight; the nightly job's marks replace the versions as well. ``PUBLICITY_PAGE_CACHE_SECONDS`` bounds what nothing
announces (a changed period rule shifting a detail page's repair date); 0 turns the cache off.

Who is never served a cached page and whose page is never stored: signed-in staff and anyone with a session (the
session cookie), a visitor with pending messages, any method but GET, query parameters the page does not know, and
responses that are not a plain 200 (cookies set by the view, personal data marked by ``core.privacy``, streaming).
Variants are keyed, never shared: the larger-text cookie (``nc_text_size``) and the host and scheme are in the key,
and the CSRF token of the header's text-size form is stored as a placeholder and filled in per visitor (with that
visitor's own CSRF cookie, set by the CSRF middleware as for an uncached page).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from core import replica
from core.privacy import carries_personal_data
from core.transactions import on_commit_batched
from publicity.selectors import SECTIONS
from publicity.views.display import LARGE, TEXT_SIZE_COOKIE

logger = logging.getLogger(__name__)

ARTICLES = "articles"
# In every page's key: replaced after ``migrate`` (a data migration rewrites entries without any save signal, and a
# deployment may change how pages look), so a deployment never serves the pages of the one before.
EPOCH = "epoch"
EVERYTHING = (*SECTIONS, ARTICLES)
_VERSION = "publicity:pc:v:"
_PAGE = "publicity:pc:p:"
_PRIMARY_POSITION = "publicity:pc:primary-wal"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
_CSRF_PLACEHOLDER = b'name="csrfmiddlewaretoken" value="\x00csrf\x00"'
CACHE_HEADER = "X-Page-Cache"


def entry_scope(section: str, pk: int) -> str:
    return f"{section}#{pk}"


# --- versions -------------------------------------------------------------------------------------------------------


def _token() -> str:
    return secrets.token_hex(6)


def _current(keys: list[str], found: dict) -> list[str]:
    """The tokens of the version ``keys`` (from ``found``, one round trip already made); a missing one is drawn."""
    for key in keys:
        if key not in found:
            token = _token()
            found[key] = token if cache.add(key, token, None) else (cache.get(key) or token)
    return [found[k] for k in keys]


def versions(scopes: Iterable[str]) -> list[str]:
    """The current token of each scope (one round trip; a missing one is drawn and added)."""
    keys = [_VERSION + s for s in scopes]
    return _current(keys, cache.get_many(keys))


def _replace(scopes: frozenset[str]) -> None:
    cache.set_many({_VERSION + s: _token() for s in scopes}, None)


def _replace_after_commit(scopes: set[str]) -> None:
    try:
        # First where the primary stands after this commit, then the versions: a reader of the new versions also
        # reads a position its replica must have replayed before a page it renders may be stored (core.replica).
        position = replica.primary_position()
        if position is not None:
            cache.set(_PRIMARY_POSITION, position, None)
        _replace(scopes)
    except Exception:  # the commit stands; the change was already announced inside the transaction
        logger.exception("public page cache: versions %s not replaced after commit", sorted(scopes))


def changed(*scopes: str) -> None:
    """The data behind ``scopes`` changed: pages keyed by their current versions are not served again."""
    if not scopes:
        return
    names = frozenset(scopes)
    _replace(names)
    # Again once the transaction has committed, with every scope it changed: one round trip, however many changes.
    on_commit_batched("publicity.pagecache", names, _replace_after_commit)


def everything_changed(**kwargs) -> None:
    """Every cached page is stale (connected to ``post_migrate``)."""
    try:
        _replace(frozenset([EPOCH]))
    except Exception:
        logger.exception("public page cache: the epoch was not replaced")


# --- the decorator --------------------------------------------------------------------------------------------------


def _seconds() -> int:
    return int(getattr(settings, "PUBLICITY_PAGE_CACHE_SECONDS", 0))


def _cacheable_request(request, params: frozenset[str]) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False  # signed-in staff, or a visitor with a session or pending messages: rendered for them alone
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return set(request.GET) <= params


def _page_key(request, name: str, *, by_accept: bool) -> str:
    variant = "large" if request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE else ""
    parts = [
        name,
        # Only the open-data API answers by Accept (JSON or DRF's HTML page); every browser sends its own Accept, which
        # in the key of an HTML page would store one copy of it per browser.
        request.META.get("HTTP_ACCEPT", "") if by_accept else "",
        timezone.localdate().isoformat(),
        variant,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    ]
    return _PAGE + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not carries_personal_data(request)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _freeze(response, current: list[str]) -> dict:
    return {
        "versions": current,
        "content": _CSRF_INPUT.sub(_CSRF_PLACEHOLDER, response.content),
        "headers": {k: v for k, v in response.items() if k.lower() != "content-length"},
    }


def _thaw(request, frozen: dict) -> HttpResponse:
    content = frozen["content"]
    if _CSRF_PLACEHOLDER in content:
        # This visitor's own token (and, through the CSRF middleware, their own cookie): never another's.
        token = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'.encode()
        content = content.replace(_CSRF_PLACEHOLDER, token)
    response = HttpResponse(content)
    for key, value in frozen["headers"].items():
        response[key] = value
    response[CACHE_HEADER] = "hit"
    return response


def public_page(
    name: str,
    scopes: Callable[..., Iterable[str]] | Iterable[str] = (),
    params: Iterable[str] = (),
    *,
    by_accept: bool = False,
) -> Callable:
    """Serve the decorated anonymous view from the cache. ``scopes``: the versions the page depends on (or a function of
    the view's keyword arguments returning them); ``params``: the query parameters it reads (any other: not cached);
    ``by_accept``: the view answers by the Accept header (content negotiation), one copy per header."""
    allowed = frozenset(params)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            seconds = _seconds()
            if seconds <= 0 or not _cacheable_request(request, allowed):
                return view(request, *args, **kwargs)
            version_keys = [_VERSION + s for s in (EPOCH, *(scopes(**kwargs) if callable(scopes) else scopes))]
            key = _page_key(request, name, by_accept=by_accept)
            try:
                # One round trip: the page and the versions it must have been stored under.
                found = cache.get_many([key, _PRIMARY_POSITION, *version_keys])
                frozen = found.pop(key, None)
                position = found.pop(_PRIMARY_POSITION, None)
                current = _current(version_keys, found)
            except Exception:  # the cache is down: the page is still served, from the database
                logger.exception("public page cache unavailable")
                return view(request, *args, **kwargs)
            if frozen is not None and frozen["versions"] == current:
                return _thaw(request, frozen)
            # Rendered after the versions were read: if the data changes meanwhile, this page is stored under the
            # versions before the change and is not served again.
            # A replica behind the last change would render a page stored under the new versions: read the primary.
            behind = replica.reading_from_replica() and position and not replica.replica_has_replayed(position)
            with replica.primary_reads() if behind else contextlib.nullcontext():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            if _storable(request, response):
                try:
                    cache.set(key, _freeze(response, current), seconds)
                except Exception:
                    logger.exception("public page cache: page not stored")
                response[CACHE_HEADER] = "miss"
            return response

        return wrapper

    return decorate
