"""A grant by the security admin of any role but clerk, or of offices, waits for the system admin's approval (L6):
the account cannot sign in or act until then, the granter cannot approve it, and the auditor is alerted."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant_approve
from audit.models import AuditEvent
from core.errors import ForbiddenError
from tests.factories import UserFactory, office

pytestmark = pytest.mark.django_db

PASSWORD = "Hui7#Lan9a"
PENDING = "/admin/accounts/pendingrolegrant/"


@pytest.fixture
def sec(client):
    user = UserFactory(username="sec_granting", role=Role.SECADMIN)
    client.force_login(user)
    return user


def _add(client, **fields):
    data = {"username": "shadow_rev", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/admin/accounts/user/add/", {**data, **fields})


def _change(client, user, **fields):
    data = {"username": user.username, "last_name": "", "first_name": "", "email": "", "phone": "", "role": user.role}
    if user.is_active:
        data["is_active"] = "on"
    data.update(fields)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def _signs_in(django_client_class, username) -> bool:
    client = django_client_class()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _approve(client, approver, user):
    client.force_login(approver)
    return client.post(PENDING, {"action": "approve", "_selected_action": [user.pk], "index": "0"}, follow=True)


def test_secadmin_reviewer_grant_inactive_until_sysadmin_approves(client, sec, sysadmin):
    from django.test import Client

    response = _add(client, role=Role.REVIEWER)
    assert response.status_code == 302
    shadow = User.objects.get(username="shadow_rev")
    assert shadow.role == Role.REVIEWER and not shadow.is_active and shadow.grant_requested_by == sec
    assert "待系统管理员批准" in client.get(f"/admin/accounts/user/{shadow.pk}/change/").content.decode()
    assert not _signs_in(Client, "shadow_rev")  # the security admin cannot use the business account they created
    page = _approve(client, sysadmin, shadow).content.decode()
    assert "已批准 1 项授权。" in page
    shadow.refresh_from_db()
    assert shadow.is_active and not shadow.grant_pending
    assert _signs_in(Client, "shadow_rev")
    event = AuditEvent.objects.get(action="approve", object_id=str(shadow.pk))
    assert event.username == sysadmin.username and event.detail["granted_by"] == sec.username
    assert event.detail["role"] == Role.REVIEWER


@pytest.mark.parametrize("role", [Role.SECADMIN, Role.SYSADMIN, Role.AUDITOR])
def test_admin_role_grants_wait_for_approval(client, sec, role):
    assert _add(client, role=role).status_code == 302
    assert not User.objects.get(username="shadow_rev").is_active


def test_office_grant_waits_for_approval_and_a_bare_clerk_does_not(client, sec):
    zuren = office("zuren")
    assert _add(client, role=Role.CLERK).status_code == 302
    bare = User.objects.get(username="shadow_rev")
    assert bare.is_active and not bare.grant_pending  # a clerk of no office can do nothing
    assert _change(client, bare, offices=[zuren.pk]).status_code == 302
    bare.refresh_from_db()
    assert not bare.is_active and bare.grant_pending


def test_promotion_signs_the_account_out_until_approved(client, sec, clerk):
    from django.test import Client

    other = Client()
    other.force_login(clerk)
    assert other.get("/workspace/").status_code == 200
    assert _change(client, clerk, role=Role.REVIEWER, offices=[o.pk for o in clerk.offices.all()]).status_code == 302
    clerk.refresh_from_db()
    assert clerk.role == Role.REVIEWER and not clerk.is_active
    assert other.get("/workspace/").status_code == 302  # the session ended: no acting as reviewer before approval


def test_reactivating_a_reviewer_needs_approval(client, sec, reviewer):
    reviewer.is_active = False
    reviewer.save()
    assert _change(client, reviewer, is_active="on").status_code == 302
    reviewer.refresh_from_db()
    assert not reviewer.is_active and reviewer.grant_pending


def test_granter_cannot_approve_own_grant(client, sec, sysadmin):
    assert _add(client, role=Role.REVIEWER).status_code == 302
    shadow = User.objects.get(username="shadow_rev")
    # The security admin has no approval page and no approval right.
    assert client.get(PENDING).status_code == 403
    with pytest.raises(PermissionDenied):
        role_grant_approve(approver=sec, user=shadow)
    # Nor does the granter's account once it holds the system admin's role.
    sec.role = Role.SYSADMIN
    sec.save()
    with pytest.raises(ForbiddenError):
        role_grant_approve(approver=sec, user=shadow)
    page = _approve(client, sec, shadow).content.decode()
    assert "授权人不能批准或驳回自己作出的授权" in page
    shadow.refresh_from_db()
    assert not shadow.is_active and shadow.grant_pending


def test_sysadmin_cannot_approve_a_grant_to_their_own_account(client, sec, sysadmin):
    assert _change(client, sysadmin, role=Role.REVIEWER).status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.grant_pending and not sysadmin.is_active
    sysadmin.is_active = True  # as if still signed in: the service refuses the account itself
    with pytest.raises((ForbiddenError, PermissionDenied)):
        role_grant_approve(approver=sysadmin, user=sysadmin)


def test_rejected_grant_leaves_the_account_inactive(client, sec, sysadmin):
    assert _add(client, role=Role.REVIEWER).status_code == 302
    shadow = User.objects.get(username="shadow_rev")
    client.force_login(sysadmin)
    response = client.post(PENDING, {"action": "reject", "_selected_action": [shadow.pk], "index": "0"}, follow=True)
    assert "已驳回 1 项授权。" in response.content.decode()
    shadow.refresh_from_db()
    assert not shadow.is_active and not shadow.grant_pending
    assert AuditEvent.objects.filter(action="reject", object_id=str(shadow.pk)).exists()


def test_role_grant_alerts_auditor(client, sec, auditor):
    zuren = office("zuren")
    assert _add(client, role=Role.CLERK, offices=[zuren.pk]).status_code == 302
    shadow = User.objects.get(username="shadow_rev")
    event = AuditEvent.objects.get(action="role_grant_pending", object_id=str(shadow.pk))
    assert event.username == sec.username
    assert event.detail["role"] == Role.CLERK and event.detail["offices"] == [str(zuren)]
    client.force_login(auditor)
    page = client.get("/workspace/audit/", {"action": "role_grant_pending"}).content.decode()
    assert "audit-alert" in page and "授权待批准（需关注）" in page and "shadow_rev" in page
