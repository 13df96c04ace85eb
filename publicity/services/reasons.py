"""The reviewer's free-text reasons (退回、撤销、移出理由) as every publicity service taking one accepts them.

The workspace posts them straight from a one-field form to the service, so this is their validation: a NUL character
(which PostgreSQL refuses in text: a 500) is a message naming the reason, not a database error.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from publicity.services.errors import PublicityError


def reason_clean(reason: str | None, *, label: str, missing: str) -> str:
    """``reason`` stripped; PublicityError on ``reason`` when it is empty (``missing``) or holds a NUL character."""
    text = (reason or "").strip()
    if not text:
        raise PublicityError({"reason": [missing]})
    if "\x00" in text:
        raise PublicityError({"reason": [_("%(label)s：不能包含空字符（\\0）。") % {"label": label}]})
    return text
