"""Small display helpers for admin columns."""

from django.utils.translation import gettext_lazy as _


def yes_no(value) -> str:
    """A boolean as a Chinese word, for third-party admins whose boolean columns would show Django's icons, whose alt
    text is the English "True"/"False"/"None" (what a screen reader reads)."""
    if value is None:
        return "-"
    return _("是") if value else _("否")
