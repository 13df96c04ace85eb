"""The one translation of errors into HTTP: every app's domain error answers 400 with Chinese messages under the
field they name, a stale or wrong state 409, a wrong role 403, missing or out of scope 404."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.test import APIClient

from core.api import exception_handler
from core.errors import NON_FIELD, DomainError, StateError, form_errors
from credit.services.records import RecordError, RecordStateError
from oversight.periods import PeriodError
from oversight.services import IndicatorError, IndicatorStateError
from publicity.services.errors import PublicityError, PublicityStateError
from reporting.services.batches import BatchError, BatchStateError
from tests.factories import clerk_of, create_record


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RecordError({"reason": ["退回理由：请填写退回理由。"]}), 400),
        (PublicityError({"outcome": ["办理结果：请选择办理结果。"]}), 400),
        (BatchError({"receipt": ["平台回执号：请填写平台回执号。"]}), 400),
        (IndicatorError({"comment": ["办公室意见：退回时请填写意见。"]}), 400),
        (PeriodError({"period": ["统计期间“2026-3”无效。"]}), 400),
        (RecordStateError({"status": ["状态：记录当前状态为“已通过”，不能修改。"]}), 409),
        (PublicityStateError({"status": ["状态：当前状态为“已通过”。"]}), 409),
        (BatchStateError({"status": ["状态：该批次已报送。"]}), 409),
        (IndicatorStateError({"status": ["状态：指标当前状态为“已完成”。"]}), 409),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_each_domain_error_answers_its_code_with_its_field_messages(error, status):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == error.errors
    assert isinstance(error, StateError) == (status == 409)


def test_a_message_without_a_field_is_a_non_field_error_as_in_drf():
    response = exception_handler(RecordError("操作未执行：请刷新页面。"), {})
    assert response.status_code == 400 and response.data == {NON_FIELD: ["操作未执行：请刷新页面。"]}


def test_django_permission_denied_is_403_and_http404_is_404():
    denied = exception_handler(PermissionDenied("只有报送处室的填报员可以修改或提交该记录。"), {})
    assert denied.status_code == 403 and denied.data == {"detail": "只有报送处室的填报员可以修改或提交该记录。"}
    assert exception_handler(Http404(), {}).status_code == 404


def test_anything_else_is_left_to_drf_which_lets_it_become_a_500():
    assert exception_handler(ValueError("bug"), {}) is None


# --- the same codes through the endpoints of each app ---------------------------------------------------------


@pytest.mark.django_db
def test_record_endpoints_answer_400_403_404_and_409(clerk, reviewer):
    record = create_record(8, clerk, status="submitted")
    url = f"/api/v1/records/{record.pk}"
    invalid = api(reviewer).post(f"{url}/return/", {"reason": " "}, format="json")
    assert invalid.status_code == 400 and invalid.json() == {"reason": ["退回理由：请填写退回理由。"]}
    assert api(clerk).post(f"{url}/approve/").status_code == 403
    assert api(clerk_of("yijiao")).post(f"{url}/withdraw/").status_code == 404
    assert api(reviewer).post(f"{url}/approve/").status_code == 200
    stale = api(clerk).post(f"{url}/withdraw/")
    assert stale.status_code == 409
    assert stale.json() == {
        NON_FIELD: ["未能撤回：该记录已被审核（当前状态“已通过”）。已通过的记录如需修改，请提出变更。"]
    }


@pytest.mark.django_db
def test_oversight_endpoints_put_a_bad_period_or_year_under_its_parameter(reviewer):
    period = api(reviewer).get("/api/v1/oversight/timeliness/?period=2026-3")
    assert period.status_code == 400 and list(period.json()) == ["period"]
    assert period.json()["period"][0].startswith("统计期间“2026-3”无效")
    year = api(reviewer).get("/api/v1/oversight/indicators/?year=20260")
    assert year.status_code == 400 and list(year.json()) == ["year"]
    assert year.json()["year"][0].startswith("年度“20260”无效")


# --- showing a domain error on a form -------------------------------------------------------------------------


class _ReasonForm(forms.Form):
    reason = forms.CharField(label="退回理由", required=False)


def test_add_to_puts_field_errors_under_their_field_and_the_rest_above_the_form():
    form = _ReasonForm(data={"reason": ""})
    error = DomainError({"reason": ["退回理由：请填写退回理由。"], "__all__": ["操作未执行。"], "unknown": ["其他。"]})
    assert error.add_to(form) is form
    assert form.errors["reason"] == ["退回理由：请填写退回理由。"]
    assert form.non_field_errors() == ["操作未执行。", "其他。"]
    assert error.messages == ["退回理由：请填写退回理由。", "操作未执行。", "其他。"]


def test_add_to_leaves_the_form_that_failed_in_the_service_as_it_is():
    form = _ReasonForm(data={})
    form.add_error("reason", "请填写。")
    error = DomainError(form_errors(form), form=form)
    assert error.errors == {"reason": ["退回理由：请填写。"]}
    error.add_to(form)
    assert form.errors["reason"] == ["请填写。"]
