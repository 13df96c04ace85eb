"""core.scoping and core.access: a declared rule table decides scope, everything undeclared is denied."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf

from accounts.roles import Role
from core.access import get_object_in_scope
from core.scoping import require_role
from credit.models import Record
from tests.factories import UserFactory, clerk_of, create_record, office

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clerk):
    return create_record(8, clerk)


def test_a_clerk_reaches_their_offices_records_only(record, clerk):
    other = clerk_of("yijiao", username="other_clerk")
    assert list(Record.objects.restrict(clerk).values_list("pk", flat=True)) == [record.pk]
    assert list(Record.objects.restrict(clerk, "change").values_list("pk", flat=True)) == [record.pk]
    assert not Record.objects.restrict(other).exists()


def test_undeclared_actions_roles_and_accounts_are_denied(record, clerk, reviewer, sysadmin):
    assert Record.objects.restrict(reviewer, "review").exists()
    assert not Record.objects.restrict(reviewer, "change").exists()  # reviewers decide, they do not edit
    assert not Record.objects.restrict(clerk, "review").exists()
    assert not Record.objects.restrict(clerk, "delete").exists()
    assert not Record.objects.restrict(sysadmin).exists()
    assert not Record.objects.restrict(None).exists()
    clerk.is_active = False
    assert not Record.objects.restrict(clerk).exists()


def test_out_of_scope_is_404_like_missing(record, clerk):
    other = clerk_of("yijiao", username="other_clerk")
    assert get_object_in_scope(Record, clerk, pk=record.pk).pk == record.pk
    with pytest.raises(Http404):
        get_object_in_scope(Record, other, pk=record.pk)
    with pytest.raises(Http404):
        get_object_in_scope(Record.objects.all(), clerk, pk=record.pk + 1000)


def test_require_role_raises_the_callers_error_with_its_message(clerk, reviewer):
    require_role(reviewer, Role.REVIEWER)
    with pytest.raises(PermissionDenied, match="只有"):
        require_role(clerk, Role.REVIEWER, message="只有审核员")
    with pytest.raises(drf.PermissionDenied):
        require_role(clerk, Role.REVIEWER, error=drf.PermissionDenied)
    require_role(clerk, Role.CLERK, office=office("zuren"))
    with pytest.raises(PermissionDenied):
        require_role(clerk, Role.CLERK, office=office("yijiao").pk)
    with pytest.raises(PermissionDenied):
        require_role(UserFactory(username="gone", role=Role.REVIEWER, is_active=False), Role.REVIEWER)


def test_the_office_scope_names_the_users_offices_and_follows_changes_to_them(record, clerk):
    """The scope filters by the user's office keys themselves (PostgreSQL then plans for the offices it is given, not
    an average one: core.scoping.user_offices), and an office added to or taken from the same user object counts at
    once."""
    sql = str(Record.objects.restrict(clerk).query)
    assert "accounts_user_offices" not in sql and f"IN ({office('zuren').pk})" in sql
    other = clerk_of("xuanjiao", username="other_clerk")
    theirs = create_record(8, other)
    assert set(Record.objects.restrict(clerk).values_list("pk", flat=True)) == {record.pk}
    clerk.offices.add(office("xuanjiao"))
    assert set(Record.objects.restrict(clerk).values_list("pk", flat=True)) == {record.pk, theirs.pk}
    clerk.offices.remove(office("zuren"))
    assert set(Record.objects.restrict(clerk).values_list("pk", flat=True)) == {theirs.pk}
    clerk.offices.clear()
    assert not Record.objects.restrict(clerk).exists()
