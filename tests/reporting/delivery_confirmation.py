"""A change of where batches go applies once a security admin confirms it: helpers for tests about what a confirmed
change does (the confirmation itself: test_delivery_confirmation)."""

from accounts.models import User
from accounts.roles import Role
from reporting.models import DeliverySettings
from reporting.services.delivery import delivery_settings_confirm, delivery_settings_update
from tests.factories import UserFactory


def confirming_secadmin() -> User:
    return User.objects.filter(username="secadmin_confirming").first() or UserFactory(
        username="secadmin_confirming", role=Role.SECADMIN
    )


def confirm_pending() -> DeliverySettings:
    """Confirm the pending proposal, if any, as a security admin."""
    row = DeliverySettings.objects.get()
    if row.has_pending_change:
        row = delivery_settings_confirm(user=confirming_secadmin())
    return row


def update_and_confirm(**kwargs) -> DeliverySettings:
    """``delivery_settings_update`` followed by a security admin's confirmation."""
    delivery_settings_update(**kwargs)
    return confirm_pending()
