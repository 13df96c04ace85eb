"""The project's permission matrix: every URL pattern × every role × in/out of office scope → HTTP status.

In the manner of pretix's ``tests/control/test_permissions.py``: one row per URL pattern of the project (walked from
the root resolver; a pattern without a row fails ``test_every_url_pattern_has_a_row``), each naming what every role
gets for GET and, where the view takes them, POST and PATCH. The answers are the gate's (``core.access``):

- anonymous: the login page (``LOGIN``) for pages, 401/403 for the API;
- a role that does not belong in the area: 403 (the admin roles in the workspace, by ``RoleSeparationMiddleware``
  and the views' own gate alike);
- an object outside the user's office scope: 404, decided before the role;
- the right area but the wrong role for the view: 403.

The objects in the URLs belong to 组人处 (zuren): "clerk_in" is a clerk of 组人处, "clerk_out" a clerk of 义教处, who
sees none of them. The admin site's per-model URLs follow one rule (``ADMIN_MODEL_PERMISSIONS``) instead of a row each.
The world (users, objects, one signed-in session per role) is built once for the module; each role's request runs in
a savepoint rolled back after it. Everything runs on SQLite; no row needs PostgreSQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.roles import ADMIN_MODEL_PERMISSIONS, Role
from credit.demo import person_id
from credit.registry import model_for_item
from credit.services import records as record_services
from oversight import services as oversight_services
from oversight.models import Indicator, IndicatorOffice, IndicatorRole, ProgressEntry
from oversight.periods import parse_period
from publicity.models import PolicyDocument
from publicity.services import blacklist as bl
from publicity.services import licences as lic
from publicity.services.publications import publication_publish
from publicity.services.requests import objection_file
from reporting.models import BatchFormat, BatchKind, ExportBatch, ImportJob
from tests.factories import UserFactory, clerk_of, create_record, office, record_values
from tests.factories.publicity import licence_values
from vetting.models import Commitment
from vetting.services.batch import batch_check_run
from vetting.services.reports import credit_report_create

ROLES = ["anonymous", "clerk_in", "clerk_out", "reviewer", "sysadmin", "secadmin", "auditor"]
ADMINS = ("sysadmin", "secadmin", "auditor")
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page
ANON_API = (401, 403)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def by_role(anonymous, clerk_in, clerk_out, reviewer, admins=403, **overrides) -> dict[str, object]:
    """Expected statuses per role; ``admins`` for the three admin roles unless one is named in ``overrides``."""
    expect = {
        "anonymous": anonymous,
        "clerk_in": clerk_in,
        "clerk_out": clerk_out,
        "reviewer": reviewer,
        **{role: admins for role in ADMINS},
    }
    expect.update(overrides)
    return expect


def everyone(status) -> dict[str, object]:
    return {role: status for role in ROLES}


@dataclass(frozen=True)
class Row:
    route: str  # the URL pattern as the resolver spells it (prefixes joined)
    url: str  # the URL requested; {name} is filled from the world's objects
    get: dict | None
    post: dict | None = None
    patch: dict | None = None  # the API's partial update
    data: dict = field(default_factory=dict)  # the POST body; {name} filled as in the URL
    json: bool = False  # POST a JSON body (the API)


W = "workspace/"
REASON = {"reason": "理由"}
# Workspace pages: clerks and reviewers; the admin roles are refused (403).
STAFF = by_role(LOGIN, 200, 200, 200)
REVIEWER_ONLY = by_role(LOGIN, 403, 403, 200)
REVIEWER_ACTS = by_role(LOGIN, 403, 403, 302)
# An object of 组人处: the other office's clerk does not see it (404, before any role).
CLERK_ACTS = by_role(LOGIN, 302, 404, 403)
REVIEWER_DECIDES = by_role(LOGIN, 403, 404, 302)

ROWS = [
    # --- credit: the workspace -------------------------------------------------------------------------------------
    Row(W, "/workspace/", STAFF),
    Row(W + "records/", "/workspace/records/?status=draft&q=x", STAFF),
    Row(W + "notices/", "/workspace/notices/", STAFF),
    Row(
        W + "review/",
        "/workspace/review/",
        REVIEWER_ONLY,
        post=REVIEWER_ACTS,
        data={"action": "approve", "records": "{submitted}"},
    ),
    Row(
        W + "items/<int:no>/new/",
        "/workspace/items/8/new/",
        by_role(LOGIN, 200, 403, 403),
        post=by_role(LOGIN, 302, 403, 403),
        data={"record_values": 8},
    ),
    Row(W + "items/<int:no>/new/", "/workspace/items/99/new/", by_role(LOGIN, 404, 404, 404)),
    Row(W + "records/<int:pk>/", "/workspace/records/{draft}/", by_role(LOGIN, 200, 404, 200)),
    Row(W + "records/<int:pk>/", "/workspace/records/999999/", by_role(LOGIN, 404, 404, 404)),
    # An approved record's edit form proposes a change.
    Row(W + "records/<int:pk>/edit/", "/workspace/records/{approved}/edit/", by_role(LOGIN, 200, 404, 403)),
    Row(
        W + "records/<int:pk>/edit/",
        "/workspace/records/{draft}/edit/",
        by_role(LOGIN, 200, 404, 403),
        post=CLERK_ACTS,
        data={"edit": "draft"},
    ),
    Row(
        W + "records/<int:pk>/submit/", "/workspace/records/{draft}/submit/", by_role(LOGIN, 405, 404, 403), CLERK_ACTS
    ),
    Row(
        W + "records/<int:pk>/withdraw/",
        "/workspace/records/{submitted}/withdraw/",
        by_role(LOGIN, 405, 404, 403),
        CLERK_ACTS,
    ),
    Row(
        W + "records/<int:pk>/approve/",
        "/workspace/records/{submitted}/approve/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
    ),
    Row(
        W + "records/<int:pk>/return/",
        "/workspace/records/{submitted}/return/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
        data=REASON,
    ),
    Row(
        W + "records/<int:pk>/revoke/",
        "/workspace/records/{approved}/revoke/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
        data=REASON,
    ),
    Row(
        W + "changes/<int:pk>/approve/",
        "/workspace/changes/{change}/approve/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
    ),
    Row(
        W + "changes/<int:pk>/return/",
        "/workspace/changes/{change}/return/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
        data=REASON,
    ),
    Row(
        W + "changes/<int:pk>/withdraw/",
        "/workspace/changes/{change}/withdraw/",
        by_role(LOGIN, 405, 404, 403),
        CLERK_ACTS,
    ),
    Row(W + "subjects/<int:pk>/", "/workspace/subjects/{subject}/", by_role(LOGIN, 200, 404, 200)),
    Row(W + "subjects/<int:pk>/", "/workspace/subjects/999999/", by_role(LOGIN, 404, 404, 404)),
    # --- publicity: the General Office's workspace -----------------------------------------------------------------
    Row(W + "publicity/", "/workspace/publicity/", REVIEWER_ONLY),
    Row(
        W + "publicity/publish/<int:record_id>/",
        "/workspace/publicity/publish/{approved}/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),  # the reviewer's incomplete form comes back with its errors
    ),
    Row(W + "publicity/publications/", "/workspace/publicity/publications/", REVIEWER_ONLY),
    Row(
        W + "publicity/publications/<int:pk>/withdraw/",
        "/workspace/publicity/publications/{publication}/withdraw/",
        by_role(LOGIN, 403, 403, 405),
        REVIEWER_ACTS,
        data=REASON,
    ),
    Row(
        W + "publicity/requests/<str:kind>/<int:pk>/",
        "/workspace/publicity/requests/objection/{objection}/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),
    ),
    Row(
        W + "publicity/requests/<str:kind>/<int:pk>/evidence/",
        "/workspace/publicity/requests/objection/{objection}/evidence/",
        REVIEWER_ONLY,
    ),
    Row(
        W + "publicity/requests/<str:kind>/<int:pk>/commitment/",
        "/workspace/publicity/requests/objection/{objection}/commitment/",
        by_role(LOGIN, 403, 403, 404),  # an objection has no 信用承诺书
    ),
    Row(
        W + "publicity/external-repairs/",
        "/workspace/publicity/external-repairs/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),  # an empty form comes back with its errors
    ),
    Row(W + "publicity/licences/", "/workspace/publicity/licences/", STAFF),
    Row(
        W + "publicity/licences/new/",
        "/workspace/publicity/licences/new/",
        by_role(LOGIN, 200, 200, 403),
        post=by_role(LOGIN, 200, 200, 403),  # an empty form comes back with its errors
    ),
    Row(W + "publicity/licences/<int:pk>/", "/workspace/publicity/licences/{licence}/", by_role(LOGIN, 200, 404, 200)),
    Row(
        W + "publicity/licences/<int:pk>/edit/",
        "/workspace/publicity/licences/{licence}/edit/",
        by_role(LOGIN, 200, 404, 403),
        post=by_role(LOGIN, 200, 404, 403),
    ),
    Row(
        W + "publicity/licences/<int:pk>/<str:action>/",
        "/workspace/publicity/licences/{licence}/approve/",
        by_role(LOGIN, 405, 405, 405),
        post=REVIEWER_DECIDES,
    ),
    Row(W + "publicity/black-list/", "/workspace/publicity/black-list/", REVIEWER_ONLY),
    Row(
        W + "publicity/black-list/new/",
        "/workspace/publicity/black-list/new/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),
    ),
    Row(
        W + "publicity/black-list/<int:pk>/remove/",
        "/workspace/publicity/black-list/{blacklist}/remove/",
        by_role(LOGIN, 403, 403, 405),
        REVIEWER_ACTS,
        data=REASON,
    ),
    Row(W + "publicity/<article:kind>/", "/workspace/publicity/policies/", REVIEWER_ONLY),
    Row(
        W + "publicity/<article:kind>/new/",
        "/workspace/publicity/news/new/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),
    ),
    Row(
        W + "publicity/<article:kind>/<int:pk>/",
        "/workspace/publicity/policies/{policy}/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),
    ),
    # --- reporting -------------------------------------------------------------------------------------------------
    Row(W + "reporting/", "/workspace/reporting/", STAFF),
    Row(W + "reporting/templates/<int:no>/", "/workspace/reporting/templates/8/", STAFF),
    Row(
        W + "reporting/imports/new/",
        "/workspace/reporting/imports/new/",
        by_role(LOGIN, 200, 200, 403),
        post=by_role(LOGIN, 200, 200, 403),  # no file: the form comes back with its errors
    ),
    # Imports are the clerks': a reviewer has none in scope (404 wins).
    Row(W + "reporting/imports/<int:pk>/", "/workspace/reporting/imports/{import}/", by_role(LOGIN, 200, 404, 404)),
    Row(
        W + "reporting/imports/<int:pk>/status/",
        "/workspace/reporting/imports/{import}/status/",
        by_role(LOGIN, 200, 404, 404),
    ),
    # Submitting an import's drafts: its clerk's (POST only).
    Row(
        W + "reporting/imports/<int:pk>/submit/",
        "/workspace/reporting/imports/{import}/submit/",
        by_role(LOGIN, 405, 404, 404),
        post=by_role(LOGIN, 302, 404, 404),
    ),
    Row(
        W + "reporting/imports/<int:pk>/errors.xlsx",
        "/workspace/reporting/imports/{import}/errors.xlsx",
        by_role(LOGIN, 200, 404, 404),
    ),
    # The 问题数据 queue: each user sees their offices' rows (a reviewer every office's), so every staff role gets 200.
    Row(W + "reporting/problems/", "/workspace/reporting/problems/", STAFF),
    Row(W + "reporting/batches/", "/workspace/reporting/batches/", REVIEWER_ONLY),
    Row(
        W + "reporting/batches/new/",
        "/workspace/reporting/batches/new/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),
    ),
    # The ledger is the reviewers': a clerk has no batch in scope (404 wins).
    Row(W + "reporting/batches/<int:pk>/", "/workspace/reporting/batches/{batch}/", by_role(LOGIN, 404, 404, 200)),
    Row(
        W + "reporting/batches/<int:pk>/download/",
        "/workspace/reporting/batches/{batch}/download/",
        by_role(LOGIN, 404, 404, 200),
    ),
    Row(
        W + "reporting/batches/<int:pk>/manual/",
        "/workspace/reporting/batches/{batch}/manual/",
        by_role(LOGIN, 404, 404, 405),
        by_role(LOGIN, 404, 404, 302),
        data={"receipt": "HZ-1"},
    ),
    Row(
        W + "reporting/batches/<int:pk>/retry/",
        "/workspace/reporting/batches/{batch}/retry/",
        by_role(LOGIN, 404, 404, 405),
        by_role(LOGIN, 404, 404, 302),
    ),
    # --- vetting (信用审查) ----------------------------------------------------------------------------------------
    Row(W + "vetting/rules/", "/workspace/vetting/rules/", STAFF),
    Row(
        W + "vetting/lists/",
        "/workspace/vetting/lists/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),  # no file: the form comes back with its errors
    ),
    Row(W + "vetting/batches/", "/workspace/vetting/batches/", STAFF, post=STAFF),
    # A natural person's credit report (the subject of {draft}, 组人处's): staff in scope; organisations have none here.
    Row(
        W + "vetting/subjects/<int:pk>/credit-report.pdf",
        "/workspace/vetting/subjects/{subject}/credit-report.pdf",
        by_role(LOGIN, 200, 404, 200),
    ),
    Row(
        W + "vetting/subjects/<int:pk>/credit-report.pdf",
        "/workspace/vetting/subjects/999999/credit-report.pdf",
        by_role(LOGIN, 404, 404, 404),
    ),
    Row(W + "vetting/evaluations/", "/workspace/vetting/evaluations/?grade=D", REVIEWER_ONLY),
    Row(
        W + "vetting/commitments/",
        "/workspace/vetting/commitments/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),  # no file: the form comes back with its errors
    ),
    Row(
        W + "vetting/commitments/<int:pk>/status/",
        "/workspace/vetting/commitments/{commitment}/status/",
        by_role(LOGIN, 403, 403, 405),
        post=REVIEWER_ACTS,
        data={"status": "kept"},
    ),
    # A batch check of 组人处: its clerk and the reviewers see it, another office's clerk does not (404).
    Row(W + "vetting/batches/<int:pk>/", "/workspace/vetting/batches/{batch_check}/", by_role(LOGIN, 200, 404, 200)),
    Row(
        W + "vetting/batches/<int:pk>/report.xlsx",
        "/workspace/vetting/batches/{batch_check}/report.xlsx",
        by_role(LOGIN, 200, 404, 200),
    ),
    # --- oversight -------------------------------------------------------------------------------------------------
    Row(W + "oversight/", "/workspace/oversight/", STAFF),
    # 零报告: everyone in the workspace sees their offices' figures; only a clerk confirms (an unknown office → 404).
    Row(
        W + "oversight/nil-reports/",
        "/workspace/oversight/nil-reports/",
        STAFF,
        post=by_role(LOGIN, 404, 404, 403),
        data={"office": "nosuch", "item": "1", "month": "2026-01"},
    ),
    Row(W + "oversight/offices/<slug:code>/", "/workspace/oversight/offices/zuren/", by_role(LOGIN, 200, 404, 200)),
    Row(W + "oversight/indicators/", "/workspace/oversight/indicators/", STAFF),
    Row(
        W + "oversight/indicators/ensure/",
        "/workspace/oversight/indicators/ensure/",
        by_role(LOGIN, 403, 403, 405),
        REVIEWER_ACTS,
        data={"year": "2026"},
    ),
    Row(
        W + "oversight/indicators/<int:pk>/",
        "/workspace/oversight/indicators/{indicator}/",
        by_role(LOGIN, 200, 404, 200),
    ),
    Row(
        W + "oversight/indicators/<int:pk>/progress/",
        "/workspace/oversight/indicators/{indicator}/progress/",
        by_role(LOGIN, 405, 404, 405),
        by_role(LOGIN, 400, 404, 403),  # an empty report comes back with its errors; the reviewer is no office
    ),
    Row(
        W + "oversight/indicators/<int:pk>/<slug:action>/",
        "/workspace/oversight/indicators/{indicator}/complete/",
        by_role(LOGIN, 403, 404, 405),
        REVIEWER_DECIDES,
    ),
    Row(
        W + "oversight/progress/<int:pk>/attachment/",
        "/workspace/oversight/progress/{progress}/attachment/",
        by_role(LOGIN, 200, 404, 200),
    ),
    Row(
        W + "oversight/bulletins/",
        "/workspace/oversight/bulletins/",
        REVIEWER_ONLY,
        post=by_role(LOGIN, 403, 403, 200),  # no period: the form comes back with its errors
    ),
    # Bulletins are the General Office's: a clerk has none in scope (404 wins).
    Row(
        W + "oversight/bulletins/<int:pk>/",
        "/workspace/oversight/bulletins/{bulletin}/",
        by_role(LOGIN, 404, 404, 200),
    ),
    Row(
        W + "oversight/bulletins/<int:pk>/download/",
        "/workspace/oversight/bulletins/{bulletin}/download/",
        by_role(LOGIN, 404, 404, 200),
    ),
    # --- audit: the audit admin's alone ----------------------------------------------------------------------------
    Row(W + "audit/", "/workspace/audit/", by_role(LOGIN, 403, 403, 403, auditor=200)),
    Row(W + "audit/export.csv", "/workspace/audit/export.csv", by_role(LOGIN, 403, 403, 403, auditor=200)),
    # --- the API ---------------------------------------------------------------------------------------------------
    Row("api/v1/items/", "/api/v1/items/", by_role(ANON_API, 200, 200, 200)),
    Row("api/v1/items/<int:no>/", "/api/v1/items/8/", by_role(ANON_API, 200, 200, 200)),
    Row(
        "api/v1/items/<int:no>/records/",
        "/api/v1/items/8/records/",
        by_role(ANON_API, 200, 200, 200),
        post=by_role(ANON_API, 201, 403, 403),
        data={"record_values": 8},
        json=True,
    ),
    Row(
        "api/v1/records/<int:pk>/",
        "/api/v1/records/{draft}/",
        by_role(ANON_API, 200, 404, 200),
        patch=by_role(ANON_API, 200, 404, 403),
        data={"offence": "改"},
        json=True,
    ),
    # PATCH on an approved record proposes a change (202).
    Row(
        "api/v1/records/<int:pk>/",
        "/api/v1/records/{unchanged}/",
        by_role(ANON_API, 200, 404, 200),
        patch=by_role(ANON_API, 202, 404, 403),
        data={"offence": "改"},
        json=True,
    ),
    Row("api/v1/records/<int:pk>/", "/api/v1/records/999999/", by_role(ANON_API, 404, 404, 404)),
    Row(
        "api/v1/records/<int:pk>/submit/",
        "/api/v1/records/{draft}/submit/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 200, 404, 403),
        json=True,
    ),
    Row(
        "api/v1/records/<int:pk>/withdraw/",
        "/api/v1/records/{submitted}/withdraw/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 200, 404, 403),
        json=True,
    ),
    Row(
        "api/v1/records/<int:pk>/approve/",
        "/api/v1/records/{submitted}/approve/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 403, 404, 200),
        json=True,
    ),
    Row(
        "api/v1/records/<int:pk>/return/",
        "/api/v1/records/{submitted}/return/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 403, 404, 200),
        data=REASON,
        json=True,
    ),
    Row(
        "api/v1/records/<int:pk>/revoke/",
        "/api/v1/records/{approved}/revoke/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 403, 404, 200),
        data=REASON,
        json=True,
    ),
    Row(
        "api/v1/changes/<int:pk>/approve/",
        "/api/v1/changes/{change}/approve/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 403, 404, 200),
        json=True,
    ),
    Row(
        "api/v1/changes/<int:pk>/return/",
        "/api/v1/changes/{change}/return/",
        by_role(ANON_API, 405, 405, 405),
        by_role(ANON_API, 403, 404, 200),
        data=REASON,
        json=True,
    ),
    Row(
        "api/v1/workdays/due-date/",
        "/api/v1/workdays/due-date/?start=2026-03-02&days=7",
        by_role(ANON_API, 200, 200, 200),
    ),
    Row(
        "api/v1/reporting/imports/",
        "/api/v1/reporting/imports/",
        by_role(ANON_API, 405, 405, 403),
        post=by_role(ANON_API, 400, 400, 403),  # no file: 400 with the field named
    ),
    Row(
        "api/v1/reporting/imports/<int:pk>/",
        "/api/v1/reporting/imports/{import}/",
        by_role(ANON_API, 200, 404, 404),
    ),
    Row("api/v1/reporting/batches/", "/api/v1/reporting/batches/", by_role(ANON_API, 403, 403, 200)),
    Row(
        "api/v1/reporting/batches/<int:pk>/",
        "/api/v1/reporting/batches/{batch}/",
        by_role(ANON_API, 404, 404, 200),
    ),
    Row(
        "api/v1/vetting/batch-checks/",
        "/api/v1/vetting/batch-checks/",
        by_role(ANON_API, 405, 405, 405),
        post=by_role(ANON_API, 400, 400, 400),  # no file: 400 with the field named
    ),
    Row(
        "api/v1/vetting/batch-checks/<int:pk>/",
        "/api/v1/vetting/batch-checks/{batch_check}/",
        by_role(ANON_API, 200, 404, 200),
    ),
    Row(
        "api/v1/oversight/timeliness/",
        "/api/v1/oversight/timeliness/?period=2026-03&office=zuren",
        by_role(ANON_API, 200, 404, 200),
    ),
    Row("api/v1/oversight/indicators/", "/api/v1/oversight/indicators/?year=2026", by_role(ANON_API, 200, 200, 200)),
    # The open-data API is public, the admin roles included.
    Row("api/v1/public/<section:section>/", "/api/v1/public/penalties/", everyone(200)),
    Row("api/v1/public/<section:section>.csv", "/api/v1/public/licences.csv", everyone(200)),
    Row("api/v1/public/<section:section>.xlsx", "/api/v1/public/licences.xlsx", everyone(200)),
    # --- the public column: open to everyone -----------------------------------------------------------------------
    Row("", "/", everyone(200)),
    Row("search/", "/search/?q=学校", everyone(200)),
    Row("org/<str:code>/", "/org/{org_code}/", everyone(200)),
    # The organisation's 信用报告 (PDF) and its public verification page (an upload of no file: the form again).
    Row("org/<str:code>/credit-report.pdf", "/org/{org_code}/credit-report.pdf", everyone(200)),
    Row(
        "credit-report/<str:number>/",
        "/credit-report/{credit_report}/",
        everyone(200),
        post={**everyone(200), "auditor": 403},  # the audit admin writes nothing, not even a verification
    ),
    Row("commitments/", "/commitments/", everyone(200)),
    Row("open-data/", "/open-data/", everyone(200)),
    # 公示统计 and its two CSV files: aggregates of what the column shows, open to everyone.
    Row("statistics/", "/statistics/?year=2026", everyone(200)),
    Row("statistics/monthly.csv", "/statistics/monthly.csv?year=2026", everyone(200)),
    Row("statistics/penalties.csv", "/statistics/penalties.csv", everyone(200)),
    Row("feed/rss/", "/feed/rss/", everyone(200)),
    Row("feed/atom/", "/feed/atom/", everyone(200)),
    Row("track/", "/track/?code={tracking_code}", everyone(302)),
    Row("track/<str:code>/", "/track/{tracking_code}/", everyone(200)),
    # The larger-text switch: a POST that sets a cookie and goes back; the audit admin changes nothing (三员分立).
    Row("display/text-size/", "/display/text-size/", everyone(405), post={**everyone(302), "auditor": 403}),
    Row("<article:kind>/", "/policies/", everyone(200)),
    Row("<article:kind>/<int:pk>/", "/policies/{policy}/", everyone(200)),
    Row("<section:section>/", "/penalties/", everyone(200)),
    Row("<section:section>/<int:pk>/", "/penalties/{publication}/", everyone(200)),
    Row(
        "<section:section>/<int:pk>/objection/",
        "/penalties/{publication}/objection/",
        everyone(200),
        # An empty objection comes back with its errors; the audit admin changes nothing anywhere (三员分立).
        post={**everyone(200), "auditor": 403},
    ),
    Row(
        "<section:section>/<int:pk>/repair/",
        "/penalties/{publication}/repair/",
        everyone(200),
        post={**everyone(200), "auditor": 403},
    ),
    # --- accounts, documentation, health ---------------------------------------------------------------------------
    Row("accounts/login/", "/accounts/login/", everyone(200)),
    Row("accounts/logout/", "/accounts/logout/", everyone(405)),  # POST signs out: not run on the shared sessions
    Row("accounts/password_change/", "/accounts/password_change/", by_role(LOGIN, 200, 200, 200, admins=200)),
    Row("accounts/password_change/done/", "/accounts/password_change/done/", by_role(LOGIN, 200, 200, 200, admins=200)),
    Row("api/schema/", "/api/schema/", everyone(200)),
    Row("api/docs/", "/api/docs/", everyone(200)),
    Row("healthz", "/healthz", everyone(200)),
]


# --- the admin site: one rule for its per-model URLs ----------------------------------------------------------------


def _admin_model_prefixes() -> dict[str, str]:
    """``admin/<app>/<model>/`` → "app.model" for every model registered with the admin site."""
    from django.contrib import admin

    return {f"admin/{m._meta.app_label}/{m._meta.model_name}/": m._meta.label_lower for m in admin.site._registry}


def _admin_model_of(route: str) -> tuple[str, str] | None:
    """(model label, the rest of the route) when ``route`` is one of a registered model's admin URLs."""
    for prefix, label in _admin_model_prefixes().items():
        if route.startswith(prefix):
            return label, route[len(prefix) :]
    return None


# The admin permission each per-model view needs ("view" admits view or change), as Django's ModelAdmin asks it.
ADMIN_VIEW_ACTION = {
    "": "view",
    "add/": "add",
    "<path:object_id>/change/": "view",
    "<path:object_id>/history/": "view",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/": "redirect",  # to the change page
    "<id>/password/": "change",  # a user's password, set by the security admin
    "import-csv/": "add+change",  # the calendar's CSV import adds and updates days
    "years/": "change",  # the calendar's 年度确认: marks a year official, which changes every due date of it
    "<int:pk>/config/": "change",  # a TOTP device's configuration and QR code (django-otp)
    "<int:pk>/qrcode/": "change",
    "confirm/": "confirm",  # the security admin confirms a change of the delivery settings (reporting.admin)
}
# What the portal's model admins refuse beyond the role table: nobody adds a TOTP device for another
# (accounts.admin), and a device's key and QR code are never shown again (OTP_ADMIN_HIDE_SENSITIVE_DATA).
ADMIN_REFUSED = {
    ("otp_totp.totpdevice", "add/"),
    ("otp_totp.totpdevice", "<int:pk>/config/"),
    ("otp_totp.totpdevice", "<int:pk>/qrcode/"),
    # One row of delivery settings: once it exists there is no second to add, and it is never deleted.
    ("reporting.deliverysettings", "add/"),
    ("reporting.deliverysettings", "<path:object_id>/delete/"),
}
# What model admins grant beyond the role table: the delivery settings are the system admin's (reporting.admin); the
# security admin sees them and confirms (or rejects) a change of where batches go.
ADMIN_GRANTED = {
    Role.SYSADMIN: {"reporting.deliverysettings": frozenset({"view", "change"})},
    Role.SECADMIN: {"reporting.deliverysettings": frozenset({"view", "confirm"})},
}


def _admin_may(role: str, label: str, rest: str) -> bool:
    if (label, rest) in ADMIN_REFUSED:
        return False
    allowed = ADMIN_MODEL_PERMISSIONS.get(role, {}).get(label, frozenset())
    allowed |= ADMIN_GRANTED.get(role, {}).get(label, frozenset())
    action = ADMIN_VIEW_ACTION[rest]
    if action == "view":
        return bool(allowed & {"view", "change"})
    return set(action.split("+")) <= allowed


def admin_expectations(route: str, objects: dict) -> tuple[str, dict]:
    """(URL, expected status per role) of a per-model admin pattern.

    Only the system and security admins enter the admin site (the others, the audit admin included, are sent to its
    sign-in page); there each model's views follow ``ADMIN_MODEL_PERMISSIONS``: 200 when the role has the view's
    permission, else 403. ``<object_id>/`` only redirects to the change page.
    """
    label, rest = _admin_model_of(route)
    pk = objects["admin_pks"][label]
    url = "/" + route.replace("<path:object_id>", str(pk)).replace("<int:pk>", str(pk)).replace("<id>", str(pk))
    expected = {role: ADMIN_LOGIN for role in ROLES}
    for role in ("sysadmin", "secadmin"):
        if ADMIN_VIEW_ACTION[rest] == "redirect":
            expected[role] = 302
        else:
            expected[role] = 200 if _admin_may(role, label, rest) else 403
    return url, expected


ADMIN_ROWS = [
    Row("admin/", "/admin/", by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, auditor=ADMIN_LOGIN)),
    Row("admin/login/", "/admin/login/", by_role(200, 200, 200, 200, 302, auditor=200)),
    # POST signs out: not run on the shared sessions. GET is refused (405); whoever is no admin is sent to /admin/.
    Row("admin/logout/", "/admin/logout/", by_role(302, 302, 302, 302, 405, auditor=302)),
    Row(
        "admin/password_change/",
        "/admin/password_change/",
        by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, auditor=ADMIN_LOGIN),
    ),
    Row(
        "admin/password_change/done/",
        "/admin/password_change/done/",
        by_role(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, auditor=ADMIN_LOGIN),
    ),
    Row(
        "admin/autocomplete/",
        "/admin/autocomplete/",
        by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 403, auditor=ADMIN_LOGIN),
    ),
    Row("admin/jsi18n/", "/admin/jsi18n/", by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 200, auditor=ADMIN_LOGIN)),
    Row(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        "/admin/r/0/0/",
        by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 404, auditor=ADMIN_LOGIN),
    ),
    Row("admin/otp/", "/admin/otp/", by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 302, auditor=ADMIN_LOGIN)),
    Row("admin/two-factor/", "/admin/two-factor/", by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 200, auditor=ADMIN_LOGIN)),
    # The app index: a page for an app the admin has models of, 404 for another app.
    Row(
        "admin/^(?P<app_label>auth|django_celery_beat|accounts|otp_totp|otp_static|axes|credit|reporting|publicity|vetting)/$",
        "/admin/credit/",
        by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 200, secadmin=404, auditor=ADMIN_LOGIN),
    ),
    Row(
        "admin/(?P<url>.*)$",
        "/admin/no-such-page/",
        by_role(ADMIN_LOGIN, *[ADMIN_LOGIN] * 3, 404, auditor=ADMIN_LOGIN),
    ),
]


# --- the world: one object of each kind in 组人处, shared by the module and rolled back at its end ----------------------


def walk(patterns, prefix: str = ""):
    """Every URL pattern of the project as (route, pattern), the route joined from its resolvers' prefixes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _build_world() -> tuple[dict[str, object], dict[str, object]]:
    clerk_in = clerk_of("zuren", username="matrix_clerk_in")
    reviewer = UserFactory(username="matrix_reviewer", role=Role.REVIEWER)
    users = {
        "anonymous": None,
        "clerk_in": clerk_in,
        "clerk_out": clerk_of("yijiao", username="matrix_clerk_out"),
        "reviewer": reviewer,
        "sysadmin": UserFactory(username="matrix_sysadmin", role=Role.SYSADMIN),
        "secadmin": UserFactory(username="matrix_secadmin", role=Role.SECADMIN),
        "auditor": UserFactory(username="matrix_auditor", role=Role.AUDITOR),
    }
    zuren = office("zuren")
    draft = create_record(8, clerk_in)
    submitted = create_record(8, clerk_in, status="submitted")
    approved = create_record(8, clerk_in, status="approved", reviewer=reviewer)
    unchanged = create_record(8, clerk_in, status="approved", reviewer=reviewer)
    change = record_services.record_change_propose(record=approved, user=clerk_in, data={"offence": "变更后的案由"})
    published = create_record(8, clerk_in, status="approved", reviewer=reviewer)
    publication = publication_publish(
        record=published, user=reviewer, penalty_basis="《中华人民共和国教师法》第三十七条", penalty_category="警告"
    )
    objection = objection_file(
        target=publication,
        applicant_name="甲",
        applicant_contact="13800000000",
        content="有误",
        evidence=SimpleUploadedFile("证明.png", PNG, content_type="image/png"),
    )
    listed = create_record(9, clerk_in, status="approved", reviewer=reviewer)
    today = timezone.localdate()
    entry = bl.blacklist_add(
        subject=listed.subject,
        records=[listed],
        user=reviewer,
        reason="恶意注册虚假信息，情节严重",
        legal_basis="《南昌市社会信用体系建设实施办法》第二十条",
        document_number=f"洪教信〔2026〕{listed.pk}号",
        decision_date=today - datetime.timedelta(days=3),
        notified_on=today - datetime.timedelta(days=2),
        listed_on=today,
        end_date=today + datetime.timedelta(days=365),
        removal_conditions="信用修复完成且一年内无新的失信记录",
    )
    licence = lic.licence_create(user=clerk_in, data=licence_values(seq=901), submit=True)
    public_licence = lic.licence_approve(
        licence=lic.licence_create(user=clerk_in, data=licence_values(seq=902), submit=True), user=reviewer
    )
    policy = PolicyDocument.objects.create(title="信用管理办法", body="正文", created_by=reviewer)
    job = ImportJob.objects.create(item=draft.item, office=zuren, created_by=clerk_in, original_name="a.xlsx")
    batch_check = batch_check_run(
        data=f"名称,身份证号码\n张三,{person_id(5)}\n".encode(), file_name="c.csv", user=clerk_in
    )
    job.file.save("a.xlsx", ContentFile(b"x"), save=False)
    job.error_file.save("e.xlsx", ContentFile(b"x"), save=False)
    job.save()
    batch = ExportBatch.objects.create(
        item=draft.item,
        kind=BatchKind.INCREMENTAL,
        format=BatchFormat.UPLOAD_TEMPLATE,
        created_by=reviewer,
        sha256="0" * 64,
    )
    batch.file.save("b.xlsx", ContentFile(b"x"))
    indicator = Indicator.objects.create(year=2026, no=99, text="信用承诺制度落实")
    IndicatorOffice.objects.create(indicator=indicator, office=zuren, role=IndicatorRole.LEAD)
    progress = ProgressEntry(indicator=indicator, office=zuren, text="已完成", author=clerk_in, attachment_name="a.pdf")
    progress.attachment.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    progress.save()
    bulletin = oversight_services.bulletin_generate(period=parse_period("2026-03"), user=reviewer)
    credit_report, _pdf = credit_report_create(
        code=public_licence.xdr_shxym, verify_url_for=lambda number: f"http://testserver/credit-report/{number}/"
    )
    objects = {
        "admin_pks": _admin_objects(reviewer),
        "draft": draft.pk,
        "submitted": submitted.pk,
        "approved": approved.pk,
        "unchanged": unchanged.pk,
        "change": change.pk,
        "subject": draft.subject_id,
        "publication": publication.pk,
        "objection": objection.pk,
        "tracking_code": objection.tracking_code,
        "blacklist": entry.pk,
        "licence": licence.pk,
        "org_code": public_licence.xdr_shxym,
        "policy": policy.pk,
        "import": job.pk,
        "batch": batch.pk,
        "batch_check": batch_check.pk,
        "credit_report": credit_report.number,
        "commitment": Commitment.objects.create(
            subject_name="单位",
            subject_code=public_licence.xdr_shxym,
            commitment_type="告知承诺",
            text="按期整改",
            made_on=datetime.date(2026, 1, 10),
            source="许可",
            created_by=reviewer,
        ).pk,
        "indicator": indicator.pk,
        "progress": progress.pk,
        "bulletin": bulletin.pk,
    }
    return users, objects


def _admin_objects(owner) -> dict[str, object]:
    """The pk of one object of every model registered with the admin, created where the database has none."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib import admin
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.api_tokens import api_token_create
    from reporting.models import DELIVERY_SETTINGS_PK, DeliverySettings

    visit = {"user_agent": "matrix_ua", "http_accept": "*/*", "path_info": "/accounts/login/"}
    makers = {
        "auth.group": lambda: Group.objects.create(name="matrix"),
        "accounts.apitoken": lambda: api_token_create(user=owner)[0],
        "django_celery_beat.clockedschedule": lambda: ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "django_celery_beat.solarschedule": lambda: SolarSchedule.objects.create(
            event="sunrise", latitude=28.68, longitude=115.86
        ),
        "django_celery_beat.intervalschedule": lambda: IntervalSchedule.objects.create(every=1, period="days"),
        "django_celery_beat.crontabschedule": lambda: CrontabSchedule.objects.create(),
        "django_celery_beat.periodictask": lambda: PeriodicTask.objects.create(
            name="matrix", task="matrix", interval=IntervalSchedule.objects.create(every=2, period="days")
        ),
        # Devices of a non-admin account: an admin with a confirmed device would first owe its one-time password.
        "otp_totp.totpdevice": lambda: TOTPDevice.objects.create(user=owner, name="matrix_totp", confirmed=False),
        "otp_static.staticdevice": lambda: StaticDevice.objects.create(
            user=owner, name="matrix_static", confirmed=False
        ),
        "reporting.deliverysettings": lambda: DeliverySettings.objects.create(pk=DELIVERY_SETTINGS_PK),
        # A grant held for the system admin's approval (accounts.admin.PendingRoleGrantAdmin).
        "accounts.pendingrolegrant": lambda: UserFactory(
            username="matrix_pending", role=Role.REVIEWER, is_active=False, grant_requested_at=timezone.now()
        ),
        "axes.accessattempt": lambda: AccessAttempt.objects.create(
            **visit, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": lambda: AccessLog.objects.create(**visit),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(**visit),
    }
    pks = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            obj = makers[label]()
        pks[label] = obj.pk
    return pks


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The users and objects of the matrix, built once; each test's changes are rolled back with the test."""
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        users, objects = _build_world()
        sessions = {}
        for role, user in users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield sessions, objects
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and lockouts count in the cache, which the database rollback does not reset.
    cache.clear()
    yield
    cache.clear()


def _client(world, role: str) -> Client:
    sessions, _objects = world
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


def _fill(text: str, objects: dict) -> str:
    return text.format(**objects)


def _body(row: Row, objects: dict, draft_values) -> dict:
    data = {}
    for key, value in row.data.items():
        if key == "record_values":
            data.update(record_values(value))
        elif key == "edit":
            data.update(draft_values)
        else:
            data[key] = _fill(value, objects) if isinstance(value, str) else value
    return data


def _check(response, expected, role: str, method: str, url: str) -> None:
    where = f"{role} {method} {url}"
    if expected in (LOGIN, ADMIN_LOGIN):
        target = "/admin/login/" if expected == ADMIN_LOGIN else settings.LOGIN_URL
        assert response.status_code == 302, f"{where}: {response.status_code}, expected a redirect to {target}"
        assert response["Location"].startswith(target), f"{where}: redirected to {response['Location']}"
        return
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, f"{where}: {response.status_code} not in {allowed}"
    if response.status_code == 302:
        assert "/login/" not in response["Location"], f"{where}: sent to sign in ({response['Location']})"


def _request(world, row: Row, role: str, method: str):
    _sessions, objects = world
    client = _client(world, role)
    url = _fill(row.url, objects)
    if method == "get":
        response = client.get(url)
    else:
        draft_values = {}
        if "edit" in row.data:
            record = model_for_item(8).objects.get(pk=objects["draft"])
            draft_values = {k: getattr(record, k) for k in record.field_keys()}
            draft_values["penalty_date"] = record.penalty_date.isoformat()
            draft_values["offence"] = "修改后的案由"
        data = _body(row, objects, draft_values)
        if row.json:
            response = getattr(client, method)(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
    _close(response)
    return response, url


def _close(response) -> None:
    """Close ``response`` (file downloads hold their file open until closed) as the test client closes its own:
    without close_old_connections, which would close the kept (file) test database under the module's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _each_role(check_role) -> None:
    """Run ``check_role(role)`` for every role, each in a savepoint rolled back after it (a POST of one role leaves
    nothing behind for the next), and fail once with every role whose answer differs from the row."""
    failures = []
    for role in ROLES:
        with transaction.atomic():
            try:
                check_role(role)
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


CASES = [(row, method) for row in ROWS + ADMIN_ROWS for method in ("get", "post", "patch") if getattr(row, method)]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "method"), CASES, ids=[f"{m.upper()} {r.url}" for r, m in CASES])
def test_matrix(world, row, method):
    def check(role):
        response, url = _request(world, row, role, method)
        _check(response, getattr(row, method)[role], role, method.upper(), url)

    _each_role(check)


def _admin_model_routes() -> list[str]:
    return [route for route, _p in walk(get_resolver().url_patterns) if _admin_model_of(route)]


@pytest.mark.django_db
@pytest.mark.parametrize("route", _admin_model_routes())
def test_admin_model_rule(world, route):
    """Every per-model admin URL, opened on an existing object of its model (see ``admin_expectations``)."""
    url, expected = admin_expectations(route, world[1])

    def check(role):
        response = _client(world, role).get(url)
        _close(response)
        _check(response, expected[role], role, "GET", url)

    _each_role(check)


def test_every_url_pattern_has_a_row():
    """A new URL without a row (or, for a model registered with the admin, the admin rule) fails here."""
    declared = {row.route for row in ROWS + ADMIN_ROWS}
    missing = [
        route
        for route, _pattern in walk(get_resolver().url_patterns)
        if route not in declared and not _admin_model_of(route)
    ]
    assert not missing, f"URL patterns without a permission-matrix row: {missing}"
    assert ADMIN_VIEW_ACTION.keys() >= {_admin_model_of(route)[1] for route in _admin_model_routes()}
    stale = declared - {route for route, _pattern in walk(get_resolver().url_patterns)}
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"
