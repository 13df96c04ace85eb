"""The permission matrix: every workspace URL and API endpoint × every role × in/out of office scope → status.

One table per surface (in the manner of pretix's ``tests/control/test_permissions.py``): out-of-scope objects answer
404, a role without the action 403, anonymous pages redirect to the login page and the anonymous API refuses with
401/403; nothing answers 500. The record under test belongs to 组人处 (item 8); "clerk_in" is a clerk of 组人处,
"clerk_out" a clerk of 义教处 (which neither owns item 8 nor sees 组人处's records).
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import Role
from credit.services import records as services
from tests.factories import UserFactory, clerk_of, create_record, record_values

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "clerk_in", "clerk_out", "reviewer", "sysadmin", "secadmin", "auditor"]
LOGIN = "login"  # expected: a redirect to the login page


@dataclass
class Case:
    name: str
    method: str
    url: str  # {pk} is the record, {change} its pending change, {subject} its subject
    expect: dict[str, int | str]
    state: str = "draft"  # the record's state before the request
    data: dict = field(default_factory=dict)


def _row(anon, clerk_in, clerk_out, reviewer, admins) -> dict:
    return {
        "anonymous": anon,
        "clerk_in": clerk_in,
        "clerk_out": clerk_out,
        "reviewer": reviewer,
        "sysadmin": admins,
        "secadmin": admins,
        "auditor": admins,
    }


REASON = {"reason": "理由"}
WORKSPACE = [
    Case("dashboard", "get", "/workspace/", _row(LOGIN, 200, 200, 200, 403)),
    Case("record list", "get", "/workspace/records/", _row(LOGIN, 200, 200, 200, 403)),
    Case("record list filtered", "get", "/workspace/records/?status=draft&q=x", _row(LOGIN, 200, 200, 200, 403)),
    Case("notices", "get", "/workspace/notices/", _row(LOGIN, 200, 200, 200, 403)),
    Case("review queue", "get", "/workspace/review/", _row(LOGIN, 403, 403, 200, 403)),
    Case(
        "bulk approve",
        "post",
        "/workspace/review/",
        _row(LOGIN, 403, 403, 302, 403),
        state="submitted",
        data={"action": "approve", "records": "{pk}"},
    ),
    Case("entry form", "get", "/workspace/items/8/new/", _row(LOGIN, 200, 403, 403, 403)),
    Case("entry form, no such item", "get", "/workspace/items/99/new/", _row(LOGIN, 404, 404, 404, 403)),
    Case("create", "post", "/workspace/items/8/new/", _row(LOGIN, 302, 403, 403, 403), data={"new": True}),
    Case("record page", "get", "/workspace/records/{pk}/", _row(LOGIN, 200, 404, 200, 403)),
    Case("record page, no such record", "get", "/workspace/records/999999/", _row(LOGIN, 404, 404, 404, 403)),
    Case("edit form", "get", "/workspace/records/{pk}/edit/", _row(LOGIN, 200, 404, 403, 403)),
    Case("edit", "post", "/workspace/records/{pk}/edit/", _row(LOGIN, 302, 404, 403, 403), data={"edit": True}),
    Case("submit", "post", "/workspace/records/{pk}/submit/", _row(LOGIN, 302, 404, 403, 403)),
    Case("submit via GET", "get", "/workspace/records/{pk}/submit/", _row(LOGIN, 405, 404, 403, 403)),
    Case("withdraw", "post", "/workspace/records/{pk}/withdraw/", _row(LOGIN, 302, 404, 403, 403), state="submitted"),
    Case("approve", "post", "/workspace/records/{pk}/approve/", _row(LOGIN, 403, 404, 302, 403), state="submitted"),
    Case(
        "return",
        "post",
        "/workspace/records/{pk}/return/",
        _row(LOGIN, 403, 404, 302, 403),
        state="submitted",
        data=REASON,
    ),
    Case(
        "revoke",
        "post",
        "/workspace/records/{pk}/revoke/",
        _row(LOGIN, 403, 404, 302, 403),
        state="approved",
        data=REASON,
    ),
    Case(
        "change form",
        "get",
        "/workspace/records/{pk}/edit/",
        _row(LOGIN, 200, 404, 403, 403),
        state="approved",
    ),
    Case(
        "change approve",
        "post",
        "/workspace/changes/{change}/approve/",
        _row(LOGIN, 403, 404, 302, 403),
        state="changed",
    ),
    Case(
        "change return",
        "post",
        "/workspace/changes/{change}/return/",
        _row(LOGIN, 403, 404, 302, 403),
        state="changed",
        data=REASON,
    ),
    Case(
        "change withdraw",
        "post",
        "/workspace/changes/{change}/withdraw/",
        _row(LOGIN, 302, 404, 403, 403),
        state="changed",
    ),
    Case("subject history", "get", "/workspace/subjects/{subject}/", _row(LOGIN, 200, 404, 200, 403)),
    Case("subject history, no such subject", "get", "/workspace/subjects/999999/", _row(LOGIN, 404, 404, 404, 403)),
]

ANON_API = (401, 403)
API = [
    Case("items", "get", "/api/v1/items/", _row(ANON_API, 200, 200, 200, 403)),
    Case("item", "get", "/api/v1/items/8/", _row(ANON_API, 200, 200, 200, 403)),
    Case("item records", "get", "/api/v1/items/8/records/", _row(ANON_API, 200, 200, 200, 403)),
    Case("create", "post", "/api/v1/items/8/records/", _row(ANON_API, 201, 403, 403, 403), data={"new": True}),
    Case("record", "get", "/api/v1/records/{pk}/", _row(ANON_API, 200, 404, 200, 403)),
    Case("no such record", "get", "/api/v1/records/999999/", _row(ANON_API, 404, 404, 404, 403)),
    Case("patch", "patch", "/api/v1/records/{pk}/", _row(ANON_API, 200, 404, 403, 403), data={"offence": "改"}),
    Case(
        "patch approved → change",
        "patch",
        "/api/v1/records/{pk}/",
        _row(ANON_API, 202, 404, 403, 403),
        state="approved",
        data={"offence": "改"},
    ),
    Case("submit", "post", "/api/v1/records/{pk}/submit/", _row(ANON_API, 200, 404, 403, 403)),
    Case("withdraw", "post", "/api/v1/records/{pk}/withdraw/", _row(ANON_API, 200, 404, 403, 403), state="submitted"),
    Case("approve", "post", "/api/v1/records/{pk}/approve/", _row(ANON_API, 403, 404, 200, 403), state="submitted"),
    Case(
        "return",
        "post",
        "/api/v1/records/{pk}/return/",
        _row(ANON_API, 403, 404, 200, 403),
        state="submitted",
        data=REASON,
    ),
    Case(
        "revoke",
        "post",
        "/api/v1/records/{pk}/revoke/",
        _row(ANON_API, 403, 404, 200, 403),
        state="approved",
        data=REASON,
    ),
    Case(
        "change approve",
        "post",
        "/api/v1/changes/{change}/approve/",
        _row(ANON_API, 403, 404, 200, 403),
        state="changed",
    ),
    Case(
        "change return",
        "post",
        "/api/v1/changes/{change}/return/",
        _row(ANON_API, 403, 404, 200, 403),
        state="changed",
        data=REASON,
    ),
    Case("due date", "get", "/api/v1/workdays/due-date/?start=2026-03-02&days=7", _row(ANON_API, 200, 200, 200, 403)),
]


@pytest.fixture
def world(db):
    clerk_in = clerk_of("zuren", username="clerk_in")
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    users = {
        "anonymous": None,
        "clerk_in": clerk_in,
        "clerk_out": clerk_of("yijiao", username="clerk_out"),
        "reviewer": reviewer,
        "sysadmin": UserFactory(username="sysadmin", role=Role.SYSADMIN),
        "secadmin": UserFactory(username="secadmin", role=Role.SECADMIN),
        "auditor": UserFactory(username="auditor", role=Role.AUDITOR),
    }
    return users


def _prepare(case: Case, users) -> tuple[str, dict]:
    clerk, reviewer = users["clerk_in"], users["reviewer"]
    state = "approved" if case.state == "changed" else case.state
    record = create_record(8, clerk, status=state, reviewer=reviewer)
    change = None
    if case.state == "changed":
        change = services.record_change_propose(record=record, user=clerk, data={"offence": "变更后的案由"})
    url = case.url.format(pk=record.pk, change=change.pk if change else 0, subject=record.subject_id)
    data = {k: (v.format(pk=record.pk) if isinstance(v, str) else v) for k, v in case.data.items()}
    if data.pop("new", False):
        data.update(record_values(8))
    if data.pop("edit", False):
        data.update({k: getattr(record, k) for k in record.field_keys()})
        data["penalty_date"] = record.penalty_date.isoformat()
        data["offence"] = "修改后的案由"
    return url, data


def _check(response, expected, role):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/accounts/login/")
        return
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, f"{role}: {response.status_code} not in {allowed}"
    if response.status_code == 302:
        assert not response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", WORKSPACE, ids=lambda c: c.name)
def test_workspace_matrix(world, case, role):
    url, data = _prepare(case, world)
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])
    response = getattr(client, case.method)(url, data) if case.method == "post" else client.get(url)
    _check(response, case.expect[role], role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", API, ids=lambda c: c.name)
def test_api_matrix(world, case, role):
    url, data = _prepare(case, world)
    client = APIClient()
    if world[role] is not None:
        client.force_authenticate(world[role])
    if case.method == "get":
        response = client.get(url)
    else:
        response = getattr(client, case.method)(url, data, format="json")
    _check(response, case.expect[role], role)


def test_every_workspace_url_is_in_the_matrix():
    """A new workspace or API URL must be added to the tables above."""
    from django.urls import get_resolver

    from credit import urls as workspace_urls
    from credit.api import urls as api_urls

    covered = {c.url.split("?")[0] for c in WORKSPACE} | {c.url.split("?")[0] for c in API}
    patterns = [("/workspace/", p) for p in workspace_urls.urlpatterns] + [
        ("/api/v1/", p) for p in api_urls.urlpatterns
    ]
    for prefix, pattern in patterns:
        route = prefix + str(pattern.pattern)
        route = route.replace("<int:pk>", "{pk}").replace("<int:no>", "8")
        if "changes/" in route:
            route = route.replace("{pk}", "{change}")
        if "subjects/" in route:
            route = route.replace("{pk}", "{subject}")
        assert route in covered, route
    assert get_resolver()  # the project resolver loads with these URLs
