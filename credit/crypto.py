"""Personal data at rest: ID numbers are stored encrypted, never as the number itself (等保2.0 数据保密性).

AES-SIV (RFC 5297) is deterministic authenticated encryption: its synthetic IV is a keyed MAC (S2V/CMAC) of the
plaintext, so the same ID number always gives the same ciphertext under one key. That keyed MAC is what finds and
matches records of one person (``filter(id_number=...)``, duplicate checks, subject linking) without decrypting and
without storing a plain hash anyone could recompute. Substring search over ID numbers is therefore not possible, by
design. The key comes from the environment (``FIELD_ENCRYPTION_KEY``, 64 random bytes, URL-safe base64); without it,
non-production settings derive one from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "enc1:"
_ASSOCIATED_DATA = [b"nc-edu-credit:personal-id"]


@cache
def _key(configured: str, secret_key: str) -> bytes:
    if configured:
        key = base64.urlsafe_b64decode(configured.encode())
        if len(key) not in (32, 48, 64):
            raise ValueError("FIELD_ENCRYPTION_KEY must decode to 32, 48 or 64 bytes")
        return key
    return HKDF(algorithm=hashes.SHA256(), length=64, salt=b"nc-edu-credit", info=b"field-encryption").derive(
        secret_key.encode()
    )


def _current_key() -> bytes:
    return _key(getattr(settings, "FIELD_ENCRYPTION_KEY", ""), settings.SECRET_KEY)


@cache
def _cipher(key: bytes) -> AESSIV:
    # Building the cipher costs more than using it: one per key (exports decrypt 100,000 IDs in a row).
    return AESSIV(key)


def encrypt(value: str) -> str:
    """The stored form of ``value``: ``enc1:`` + URL-safe base64 of the AES-SIV ciphertext (48 characters)."""
    token = _cipher(_current_key()).encrypt(value.encode(), _ASSOCIATED_DATA)
    return PREFIX + base64.urlsafe_b64encode(token).decode()


def decrypt(stored: str) -> str:
    """The plaintext of a stored value (a value without the prefix predates encryption and is returned as is)."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    token = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode())
    return _cipher(_current_key()).decrypt(token, _ASSOCIATED_DATA).decode()


def digest(value: str) -> str:
    """A keyed digest (HMAC-SHA256) of ``value``: a stable identifier that reveals nothing without the key."""
    return hmac.new(_current_key(), value.encode(), hashlib.sha256).hexdigest()
