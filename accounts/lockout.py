"""Sign-in lockout (django-axes) by account *and* by address.

Two counters over the same failure records: an account is locked after ``AXES_FAILURE_LIMIT`` failures, but only
for the address that sent them (``[username, ip_address]``), so no one can lock an administrator out from every
office by guessing wrong five times; an address is locked after ``PORTAL_ADDRESS_FAILURE_LIMIT`` failures whatever
the usernames, so spraying a few passwords over many accounts is throttled. axes compares a single count with a
single limit, so the address count is scaled to the account limit.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from django.conf import settings
from django.db.models import Sum

ACCOUNT_KEY = ("username", "ip_address")
ADDRESS_KEY = "ip_address"


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """Locks ``username`` from one address at the account limit, and the address at the (higher) address limit."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        per_account, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = get_failure_limit(request, credentials)
        address_limit = max(settings.PORTAL_ADDRESS_FAILURE_LIMIT, account_limit)
        # The address reaches the account limit exactly when it reaches its own limit.
        scaled = per_address * account_limit // address_limit
        return max(per_account, scaled)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears that account's failures from that address only: a sprayer who owns one
        account must not reset the address's count by signing in to it."""
        username = get_client_username(request, credentials)
        count, _ = (
            self.get_user_attempts(request, credentials)[0]
            .model.objects.filter(username=username, ip_address=request.axes_ip_address)
            .delete()
        )
        return count
