"""三员分立: each admin role is refused outside its duty — admin pages, record API, audit pages — and every refusal
is audited."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import api_token_key, create_record

pytestmark = pytest.mark.django_db

USER_LIST = reverse("admin:accounts_user_changelist")
USER_ADD = reverse("admin:accounts_user_add")
CALENDAR_LIST = reverse("admin:credit_calendarday_changelist")
ITEM_LIST = reverse("admin:credit_item_changelist")
PERIODIC_TASKS = reverse("admin:django_celery_beat_periodictask_changelist")
AUDIT = "/workspace/audit/"


@pytest.fixture
def record(clerk, reviewer):
    return create_record(8, clerk, status="submitted")


def record_urls(record):
    return [
        ("get", "/api/v1/items/8/records/"),
        ("post", "/api/v1/items/8/records/"),
        ("get", f"/api/v1/records/{record.pk}/"),
        ("patch", f"/api/v1/records/{record.pk}/"),
        ("post", f"/api/v1/records/{record.pk}/approve/"),
        ("post", f"/api/v1/records/{record.pk}/return/"),
    ]


# --- the system admin: configuration, not users, not audit, not records ----------------------------------------------


@pytest.mark.parametrize("url", [USER_LIST, USER_ADD, AUDIT])
def test_system_admin_cannot_manage_users_or_read_audit(client, sysadmin, url):
    client.force_login(sysadmin)
    assert client.get(url).status_code == 403


def test_system_admin_keeps_the_configuration(client, sysadmin):
    client.force_login(sysadmin)
    for url in (CALENDAR_LIST, ITEM_LIST, PERIODIC_TASKS):
        assert client.get(url).status_code == 200, url


# --- the security admin: users and lockouts, not records, not configuration, not audit -------------------------------


@pytest.mark.parametrize("url", [CALENDAR_LIST, ITEM_LIST, PERIODIC_TASKS, AUDIT])
def test_security_admin_cannot_touch_configuration_or_audit(client, secadmin, url):
    client.force_login(secadmin)
    assert client.get(url).status_code == 403


def test_security_admin_keeps_users_and_lockouts(client, secadmin):
    client.force_login(secadmin)
    assert client.get(USER_LIST).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


# --- the audit admin: reads the log, changes nothing -----------------------------------------------------------------


def test_audit_admin_has_no_admin_site(client, auditor):
    client.force_login(auditor)
    response = client.get(USER_LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(AUDIT).status_code == 200


# --- records: no admin role reaches them, by session or by token -----------------------------------------------------


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_admin_roles_are_refused_the_record_api(client, request, record, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for method, url in record_urls(record):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 403, (role, method, url, response.status_code)
    assert AuditEvent.objects.filter(action="access_denied", user=user).count() == len(record_urls(record))


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_admin_roles_are_refused_the_record_api_with_a_token(client, request, record, role):
    key = api_token_key(request.getfixturevalue(role))
    response = client.get(f"/api/v1/records/{record.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/records/{record.pk}/approve/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == "submitted"


def test_the_duties_still_work_for_the_business_roles(client, clerk, reviewer, record):
    client.force_login(reviewer)
    assert client.get(f"/api/v1/records/{record.pk}/").status_code == 200
    assert client.get(AUDIT).status_code == 403
    client.force_login(clerk)
    assert client.get(f"/api/v1/records/{record.pk}/").status_code == 200
    assert client.get(AUDIT).status_code == 403


def test_public_api_stays_open_to_admin_roles(client, sysadmin):
    from accounts.roles import role_may_access

    assert role_may_access("sysadmin", "/api/v1/public/licensing/", "GET")
    assert not role_may_access("sysadmin", "/api/v1/items/", "GET")
    assert not role_may_access("auditor", "/workspace/audit/", "POST")
