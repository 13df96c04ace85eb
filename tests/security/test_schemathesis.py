"""API fuzzing: schemathesis drives every operation of /api/schema/ through the WSGI app as a clerk and as a
reviewer (token auth), bounded in examples and time. No 500, and every documented response matches the schema.

The cases are drawn with schemathesis' Python API (``operation.as_strategy()`` under Hypothesis) rather than
``schema.parametrize()``, whose lazy fixture loader does not run under pytest 9, and so that all operations run
inside the one database transaction the test's records live in. Every failure is collected and reported at once:
operation, generated input, status and the checks that failed.
"""

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as st_checks
from schemathesis.specs.openapi import checks as oa_checks

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of, create_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MAX_EXAMPLES = 10
TIME_CAP_SECONDS = 300
CHECKS = [st_checks.not_a_server_error, oa_checks.response_schema_conformance, oa_checks.content_type_conformance]


@pytest.fixture
def records(db):
    clerk = clerk_of("zuren", username="fuzz_clerk")
    reviewer = UserFactory(username="fuzz_reviewer", role=Role.REVIEWER)
    made = {status: create_record(8, clerk, status=status, reviewer=reviewer) for status in ("submitted", "draft")}
    # Random ids mostly miss (404); half the examples are aimed at real objects: item 8 and an editable record.
    return {Role.CLERK: clerk, Role.REVIEWER: reviewer, "pinned": {"no": 8, "id": made["draft"].pk}}


@pytest.fixture
def wsgi_app():
    """The real WSGI app. As in Django's test client, the request signals must not close the connection that holds
    the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _describe(case, response, exc) -> str:
    status = getattr(response, "status_code", "-")
    details = "\n".join(str(e) for e in getattr(exc, "exceptions", ())) or str(exc)
    body = case.body if type(case.body).__name__ != "NotSet" else None
    return (
        f"{case.operation.label}: status {status}; path {case.path_parameters}, query {case.query}, "
        f"body {body!r}\n{details[:1500]}"
    )


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER])
def test_api_never_answers_500_and_matches_its_schema(role, records, wsgi_app):
    from tests.factories import api_token_key

    headers = {"Authorization": f"Token {api_token_key(records[role])}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, "the API schema lists too few operations"

    deadline = time.monotonic() + TIME_CAP_SECONDS
    failures: list[str] = []
    seen: set[tuple[str, str]] = set()
    exercised = 0
    pinned = records["pinned"]
    runs = []
    for operation in operations:
        runs.append(operation.as_strategy())
        names = {p.name for p in operation.path_parameters}
        if names and names <= set(pinned):
            runs.append(operation.as_strategy(path_parameters={n: pinned[n] for n in names}))
    for strategy in runs:
        if time.monotonic() > deadline:
            break

        @given(case=strategy)
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = None
            try:
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:
                key = (
                    case.operation.label,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                )
                if key not in seen:
                    seen.add(key)
                    failures.append(_describe(case, response, exc))

        run()
        exercised += 1
    assert exercised, "no operation was exercised"
    assert not failures, f"{len(failures)} failing cases as {role}:\n\n" + "\n\n".join(failures[:20])
