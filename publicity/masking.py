"""Masking personal identifiers inside free text before it reaches the public column.

Clerks and reviewers type free text (违法行为, 处罚结果, 荣誉内容, 列入事由, 许可内容, corrected content) that may
quote a person's resident ID number or mobile number. The column masks both wherever they appear, the same way it
masks the subject's own identifier: ID numbers as first 6 + ``********`` + last 4, mobiles as first 3 + ``****`` +
last 4. Pure functions (no models), so migrations may use them too.
"""

from __future__ import annotations

import re

# An 18-character resident ID number: six-digit area, a 19xx/20xx birth date, sequence and check character. The
# check character is not verified: a mistyped ID number is personal data all the same. Not part of a longer code.
_CN_ID = re.compile(
    r"(?<![0-9A-Za-z])([0-9]{6})((?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])"
    r"(?![0-9A-Za-z])"
)
# An eleven-digit mainland mobile number, optionally +86/86-prefixed and split by spaces or hyphens (3-4-4).
_MOBILE = re.compile(r"(?<![0-9])((?:\+?86[- ]?)?)(1[3-9][0-9])[- ]?([0-9]{4})[- ]?([0-9]{4})(?![0-9])")


def _id(match: re.Match) -> str:
    rest = match.group(2).upper()
    return match.group(1) + "*" * 8 + rest[-4:]


def _mobile(match: re.Match) -> str:
    return f"{match.group(1)}{match.group(2)}****{match.group(4)}"


def mask_free_text(text: str | None) -> str:
    """``text`` with every resident ID number and mobile number in it masked; idempotent."""
    if not text:
        return text or ""
    return _MOBILE.sub(_mobile, _CN_ID.sub(_id, text))
