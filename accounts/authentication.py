"""API token authentication: django-rest-knox's header parsing and hashed tokens, with the portal's rules.

A request with ``Authorization: Token <key>`` is authenticated as the owner of a *usable* token
(``accounts.api_tokens.api_token_refusal``: not expired, owner active, no password change, password expiry or forced
sign-out since the token was made), and every such request is written to the audit log as that owner, with the
token's prefix and id (``api_token_used``). A malformed key is refused before it reaches the database (a NUL byte
would make PostgreSQL raise), with the same message as an unknown key.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from accounts.api_tokens import api_token_lookup, api_token_refusal, api_token_refused, api_token_used


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        refusal = api_token_refusal(token)
        # The Django request, not DRF's: reading ``request.user`` on DRF's would authenticate again.
        django_request = getattr(request, "_request", request)
        if refusal is not None:
            api_token_refused(token=token, request=django_request, reason=refusal)
            raise exceptions.AuthenticationFailed(refusal)
        api_token_used(token=token, request=django_request)
        return user, token

    def authenticate_credentials(self, token):
        try:
            key = token.decode("utf-8") if isinstance(token, bytes) else token
        except UnicodeDecodeError:
            key = ""
        found = api_token_lookup(key)
        if found is None:
            # DRF's and knox's message for an unknown key (DRF's catalogue: "认证令牌无效。").
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return found.user, found
