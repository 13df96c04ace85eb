"""The central role rule (三员分立) holds when the portal runs under a sub-path, or when a forwarder passes a
SCRIPT_NAME: it matches the path inside the application, not the prefixed one.

The views check roles themselves too; the assertions name the central rule (``role_separation`` in the audit
event, or the middleware in front of a view that checks nothing) so they fail if only the views refuse.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import set_script_prefix

from accounts.middleware import RoleSeparationMiddleware
from audit.models import AuditEvent
from tests.factories import api_token_key, create_record

pytestmark = pytest.mark.django_db

PREFIX = "/credit"


@pytest.fixture(autouse=True)
def _reset_script_prefix():
    yield
    set_script_prefix("/")


@pytest.fixture
def record(clerk):
    return create_record(8, clerk, status="submitted")


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
@pytest.mark.parametrize("url", ["/workspace/", "/api/v1/items/"])
def test_admin_roles_are_refused_the_workspace_and_api_under_a_script_prefix(client, request, role, url):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(url, SCRIPT_NAME=PREFIX).status_code == 403
    assert _central_refusals(user) == 1


def _central_refusals(user) -> int:
    return AuditEvent.objects.filter(action="access_denied", user=user, detail__rule="role_separation").count()


def _behind_the_rule(user, method: str, path: str):
    """The middleware in front of a view that checks nothing, as a future view forgetting its check would be."""
    factory = RequestFactory()
    http_request = getattr(factory, method)(path, SCRIPT_NAME=PREFIX)
    http_request.user = user
    return RoleSeparationMiddleware(lambda request: HttpResponse("records"))(http_request)


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_central_rule_refuses_admin_roles_a_workspace_page_under_a_script_prefix(request, role):
    with pytest.raises(PermissionDenied):
        _behind_the_rule(request.getfixturevalue(role), "get", "/workspace/records/")


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_central_rule_refuses_admin_roles_the_api_under_a_script_prefix(request, role):
    response = _behind_the_rule(request.getfixturevalue(role), "get", "/api/v1/items/")
    assert response.status_code == 403 and "records" not in response.content.decode()


def test_central_rule_refuses_an_audit_admin_write_under_a_script_prefix(auditor):
    response = _behind_the_rule(auditor, "post", "/api/v1/public/licensing/")
    assert response.status_code == 403


def test_central_rule_lets_a_clerk_through_under_a_script_prefix(clerk):
    assert _behind_the_rule(clerk, "get", "/workspace/records/").status_code == 200


def test_admin_token_is_refused_the_record_api_under_a_script_prefix(client, sysadmin, record):
    key = api_token_key(sysadmin)
    response = client.get(f"/api/v1/records/{record.pk}/", SCRIPT_NAME=PREFIX, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert record.id_number not in response.content.decode()
    assert _central_refusals(sysadmin) == 1


def test_audit_admin_cannot_write_under_a_script_prefix(client, auditor, record):
    client.force_login(auditor)
    response = client.post(
        f"/api/v1/records/{record.pk}/approve/", {}, content_type="application/json", SCRIPT_NAME=PREFIX
    )
    assert response.status_code == 403
    assert _central_refusals(auditor) == 1
    record.refresh_from_db()
    assert record.status == "submitted"


def test_business_roles_still_reach_the_workspace_under_a_script_prefix(client, clerk, record):
    client.force_login(clerk)
    assert client.get(f"/api/v1/records/{record.pk}/", SCRIPT_NAME=PREFIX).status_code == 200
    assert client.get("/workspace/", SCRIPT_NAME=PREFIX).status_code == 200
