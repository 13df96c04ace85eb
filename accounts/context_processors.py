"""What every page needs to know about the signed-in user beyond ``user`` itself."""

from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject


def _draft_owner(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Keyed hash of the user id: names the owner of the form drafts kept in the tab (static/core/drafts.js) without
    # putting the id in the page; stable across sign-ins, so a draft returns to its author after a new sign-in.
    return salted_hmac("accounts.draft-owner", str(user.pk)).hexdigest()[:20]


def draft_owner(request) -> dict:
    return {"draft_owner": SimpleLazyObject(lambda: _draft_owner(request))}
