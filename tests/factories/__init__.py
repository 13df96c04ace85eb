"""Test data built through the services, one module per app: ``accounts`` (users by role), ``credit`` (records through
the lifecycle services) and ``publicity`` (publications, licences, black-list entries). The names most tests need are
importable from ``tests.factories`` directly."""

from tests.factories.accounts import PASSWORD, UserFactory, api_token_key, user_with_role
from tests.factories.credit import (
    RecordFactory,
    a_draft,
    clerk_for_item,
    clerk_of,
    create_record,
    days_ago,
    office,
    record_advance,
    record_values,
    reporting_office,
)

__all__ = [
    "PASSWORD",
    "RecordFactory",
    "UserFactory",
    "a_draft",
    "api_token_key",
    "clerk_for_item",
    "clerk_of",
    "create_record",
    "days_ago",
    "office",
    "record_advance",
    "record_values",
    "reporting_office",
    "user_with_role",
]
