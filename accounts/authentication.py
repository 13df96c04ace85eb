"""API token authentication that refuses a malformed key before it reaches the database.

DRF's ``TokenAuthentication`` looks up whatever follows ``Token`` in the Authorization header; a key with a NUL byte
makes PostgreSQL raise (a 500 instead of a refusal). A DRF key is 40 hexadecimal digits (``Token.generate_key``), so
anything that is not short ASCII letters and digits is refused at once with DRF's own "invalid token" message.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

_KEY_MAX_LENGTH = Token._meta.get_field("key").max_length


def token_key_well_formed(key: str) -> bool:
    """Whether ``key`` could be a stored token key (so is worth a database lookup)."""
    return 0 < len(key) <= _KEY_MAX_LENGTH and key.isascii() and key.isalnum()


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not token_key_well_formed(key):
            # The same message as an unknown key (DRF's catalogue: "认证令牌无效。").
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
