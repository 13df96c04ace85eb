"""Role grants in the admin are audited with the role and offices before and after; admin roles hold no office."""

import pytest

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import UserFactory, office

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec(client):
    user = UserFactory(username="sec_granting", role=Role.SECADMIN)
    client.force_login(user)
    return user


def _add(client, **fields):
    data = {"username": "shadow_rev", "usable_password": "true", "password1": "Hui7#Lan9a", "password2": "Hui7#Lan9a"}
    data.update(fields)
    return client.post("/admin/accounts/user/add/", data)


def test_creating_an_account_audits_the_role_and_offices_granted(client, sec):
    zuren = office("zuren")
    assert _add(client, role=Role.REVIEWER, offices=[zuren.pk]).status_code == 302
    created = User.objects.get(username="shadow_rev")
    event = AuditEvent.objects.get(action="role_grant", object_id=str(created.pk))
    assert event.username == sec.username
    assert event.detail["role"] == {"from": None, "to": Role.REVIEWER}
    assert event.detail["offices"] == {"from": None, "to": [str(zuren)]}


def test_changing_a_role_audits_the_old_and_new_role(client, sec):
    other = UserFactory(username="clerk_promoted", role=Role.CLERK)
    data = {"username": other.username, "last_name": "", "first_name": "", "email": "", "phone": ""}
    data.update(role=Role.REVIEWER, is_active="on")
    assert client.post(f"/admin/accounts/user/{other.pk}/change/", data).status_code == 302
    event = AuditEvent.objects.get(action="role_grant", object_id=str(other.pk))
    assert event.detail["role"] == {"from": Role.CLERK, "to": Role.REVIEWER}
    assert event.detail["offices"] == {"from": [], "to": []}


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_an_admin_account_cannot_be_given_an_office(client, sec, role):
    response = _add(client, role=role, offices=[office("zuren").pk])
    assert response.status_code == 200
    assert "管理员角色（系统、安全、审计）不能分配处室" in response.content.decode()
    assert not User.objects.filter(username="shadow_rev").exists()
    assert not AuditEvent.objects.filter(action="role_grant").exists()
