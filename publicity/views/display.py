"""The public column's display preference: a larger-text mode (适老化) that persists across visits.

A plain form POST that sets a cookie and returns to the page, so it works without JavaScript and with the strict CSP;
the base template reads the cookie and puts ``large-text`` on ``<html>``, which scales every rem-based size.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TEXT_SIZE_COOKIE = "nc_text_size"
LARGE = "large"
ONE_YEAR = 365 * 24 * 3600


# No CSRF token: the switch changes nothing but the visitor's own display cookie (a forged post could only enlarge
# someone's text) and returns to a page of this site only. Without a token in the header's form, the public pages set
# no cookie and are the same for every visitor of a text size, which is what lets them be served from the cache
# (publicity.pagecache) at little more than the cost of a trivial view.
@csrf_exempt
@require_POST
def text_size(request):
    """Switch between standard and large text, then go back to the page the visitor was on (same site only)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("publicity:home")
    response = HttpResponseRedirect(target)
    if request.POST.get("size") == LARGE:
        response.set_cookie(
            TEXT_SIZE_COOKIE, LARGE, max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure(), httponly=True
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response
