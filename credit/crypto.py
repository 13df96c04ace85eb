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
import binascii
import hashlib
import hmac
from collections.abc import Callable
from functools import cache, partial

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "enc1:"
_ASSOCIATED_DATA = [b"nc-edu-credit:personal-id"]
# URL-safe base64 back to the standard alphabet, so binascii decodes it directly: base64.urlsafe_b64decode does the
# same in three Python-level calls, which is half the cost of a decryption when an export decrypts 100,000 IDs.
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
_PREFIX_LENGTH = len(PREFIX)


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
def _cipher_for(configured: str, secret_key: str) -> AESSIV:
    # Building the cipher costs more than using it: one per key (exports decrypt 100,000 IDs in a row), found by the
    # settings themselves so that each call is one cache look-up.
    return AESSIV(_key(configured, secret_key))


def _cipher() -> AESSIV:
    return _cipher_for(getattr(settings, "FIELD_ENCRYPTION_KEY", ""), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    """The stored form of ``value``: ``enc1:`` + URL-safe base64 of the AES-SIV ciphertext (48 characters)."""
    token = _cipher().encrypt(value.encode(), _ASSOCIATED_DATA)
    return PREFIX + base64.urlsafe_b64encode(token).decode()


def _decrypt_with(cipher: AESSIV, stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored
    token = binascii.a2b_base64(stored[_PREFIX_LENGTH:].encode().translate(_FROM_URLSAFE))
    return cipher.decrypt(token, _ASSOCIATED_DATA).decode()


def decrypt(stored: str) -> str:
    """The plaintext of a stored value (a value without the prefix predates encryption and is returned as is)."""
    return _decrypt_with(_cipher(), stored)


def decryptor() -> Callable[[str], str]:
    """``decrypt`` bound to the current key, for many values in a row (an export): the settings are read once."""
    return partial(_decrypt_with, _cipher())


def digest(value: str) -> str:
    """A keyed digest (HMAC-SHA256) of ``value``: a stable identifier that reveals nothing without the key."""
    return hmac.new(_current_key(), value.encode(), hashlib.sha256).hexdigest()
