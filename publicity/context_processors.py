"""What every page of the column shows in its footer: the website's identifiers from the settings."""

from django.conf import settings


def site_identity(request) -> dict:
    psb = settings.PUBLICITY_PSB_NUMBER
    return {
        "site_identity": {
            "site_code": settings.PUBLICITY_SITE_CODE,
            "icp": settings.PUBLICITY_ICP_NUMBER,
            "psb": psb,
            # The ministry's look-up takes the digits of the number (京公网安备 11000002000001号 → 11000002000001).
            "psb_code": "".join(ch for ch in psb if ch.isdigit()),
        }
    }
