"""The security admin manages accounts in the Django admin, but not their own role, offices, activity or existence."""

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory, office

pytestmark = pytest.mark.django_db


def _change_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": "",
        "email": user.email,
        "phone": "",
        "role": user.role,
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def sec(client):
    user = UserFactory(username="sec_self", role=Role.SECADMIN)
    client.force_login(user)
    return user


def test_a_security_admin_cannot_change_their_own_role_offices_or_activity(client, sec):
    url = f"/admin/accounts/user/{sec.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="offices"' not in page and 'name="is_active"' not in page
    zuren = office("zuren")
    response = client.post(
        url, _change_data(sec, role=Role.SYSADMIN, offices=[zuren.pk], is_active="", phone="0791-1234567")
    )
    assert response.status_code == 302
    sec.refresh_from_db()
    assert sec.role == Role.SECADMIN and sec.is_active and not sec.offices.exists()
    assert sec.phone == "0791-1234567"  # the rest of their own record stays editable


def test_a_security_admin_still_changes_other_accounts_roles_and_offices(client, sec):
    other = UserFactory(username="clerk_other", role=Role.CLERK)
    zuren = office("zuren")
    response = client.post(
        f"/admin/accounts/user/{other.pk}/change/", _change_data(other, role=Role.REVIEWER, offices=[zuren.pk])
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.role == Role.REVIEWER and list(other.offices.all()) == [zuren]


def test_a_security_admin_cannot_delete_their_own_account(client, sec):
    other = UserFactory(username="to_delete", role=Role.CLERK)
    assert client.get(f"/admin/accounts/user/{sec.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/user/{sec.pk}/delete/", {"post": "yes"}).status_code == 403
    # The bulk action names the own account as what may not be deleted, and refuses the confirmation.
    selection = {"action": "delete_selected", "_selected_action": [sec.pk, other.pk]}
    page = client.post("/admin/accounts/user/", selection)
    assert page.status_code == 200 and "您本人的账号" in page.content.decode()
    assert client.post("/admin/accounts/user/", {**selection, "post": "yes"}).status_code == 403
    assert User.objects.filter(pk__in=[sec.pk, other.pk]).count() == 2
    # Another account alone is deleted as before.
    response = client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not User.objects.filter(pk=other.pk).exists()
