"""TOTP enrolment helpers: the pending secret, its otpauth URI, the QR code and the secret for manual entry.

The secret of a device being enrolled lives only in the server-side session until the admin proves, with a code
from the authenticator app, that it was copied correctly; only then is a confirmed device stored
(``accounts.services.totp_device_confirm``). Nothing is written for an enrolment that is abandoned.

The QR code is drawn on the server as inline SVG (segno, pure Python): no image request, no script, no CDN, and the
page keeps to the Content Security Policy (``config/settings/security.py``).
"""

from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify

from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

PENDING_KEY_SESSION_KEY = "accounts_totp_pending_key"
_HEX_KEY = re.compile(r"^[0-9a-f]{40}$")


def totp_key_new() -> str:
    """A fresh random secret (20 bytes, hex), as django-otp generates for a new device."""
    return default_key()


def totp_key_is_valid(key: object) -> bool:
    return isinstance(key, str) and bool(_HEX_KEY.match(key))


def totp_device_unsaved(*, user, key: str) -> TOTPDevice:
    """The device as it will be stored once confirmed (same key, step and digits), not saved."""
    return TOTPDevice(user=user, key=key, confirmed=False)


def totp_secret_groups(key: str) -> str:
    """The secret in base32, in groups of four for typing into an authenticator app by hand."""
    secret = b32encode(unhexlify(key.encode())).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str, *, title: str = "") -> SafeString:
    """``data`` as a QR code in inline SVG, dark modules on a white ground (scannable on the admin's dark theme)."""
    import segno

    code = segno.make(data, error="m", micro=False)
    # segno escapes the title itself; the SVG has no script, no external reference and no event attribute.
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", title=title or None)
    return mark_safe(svg)
