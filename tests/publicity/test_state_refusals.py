"""Publicity refusals caused by the object's current state are StateErrors (409 kind), others stay plain 400 errors;
the workspace still shows the refusal on the page."""

import pytest
from django.urls import reverse

from core.errors import StateError
from publicity.services.errors import PublicityError, PublicityStateError
from publicity.services.publications import publication_publish, publication_withdraw
from publicity.services.requests import objection_file, request_decide

pytestmark = pytest.mark.django_db


def _objection(build):
    pub = build.penalty(8)
    return objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")


def test_deciding_a_decided_request_is_a_state_error(build):
    req = _objection(build)
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply="维持")
    with pytest.raises(PublicityStateError) as refused:
        request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="again")
    assert refused.value.status_code == 409 and refused.value.messages == ["该申请已办结。"]


def test_a_missing_reply_is_not_a_state_error(build):
    req = _objection(build)
    with pytest.raises(PublicityError) as refused:
        request_decide(request=req, user=build.reviewer, outcome="upheld", reply=" ")
    assert not isinstance(refused.value, StateError)
    assert refused.value.status_code == 400 and "reply" in refused.value.errors


def test_publishing_a_record_that_is_not_approved_is_a_state_error(build):
    record = build.record(8, status="submitted")
    with pytest.raises(PublicityStateError) as refused:
        publication_publish(record=record, user=build.reviewer)
    assert "当前状态：待审核" in refused.value.messages[0]


def test_republishing_a_withdrawn_publication_is_a_state_error(build):
    pub = build.penalty(8)
    publication_withdraw(publication=pub, user=build.reviewer, reason="原处罚决定已撤销")
    with pytest.raises(PublicityStateError, match="已撤下"):
        publication_publish(
            record=pub.record,
            user=build.reviewer,
            penalty_basis="《中华人民共和国教师法》第三十七条",
            penalty_category="警告",
        )


def test_workspace_shows_already_decided_on_the_request_page(build, client):
    req = _objection(build)
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply="维持")
    client.force_login(build.reviewer)
    page = client.post(
        reverse("publicity-workspace:request", args=["objection", req.pk]),
        {"outcome": "withdrawn", "reply": "再次办理"},
    )
    assert page.status_code == 200
    assert "该申请已办结。" in page.context["form"].non_field_errors()


def test_deciding_records_who_and_when_and_a_refused_decision_changes_nothing(build):
    req = _objection(build)
    with pytest.raises(PublicityError):
        request_decide(request=req, user=build.reviewer, outcome="corrected", reply="予以更正", corrected_content=" ")
    req.refresh_from_db()
    assert (req.status, req.outcome, req.reply, req.decided_by) == ("received", "", "", None)
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply=" 维持 ")
    req.refresh_from_db()
    assert (req.status, req.outcome, req.reply, req.decided_by) == ("decided", "upheld", "维持", build.reviewer)
    assert req.decided_at is not None
