"""An entry under objection says so publicly (异议处理中) in the list and on its page, until the objection is decided;
a granted objection may correct any published field, and the change history keeps the values before."""

from __future__ import annotations

import datetime

import pytest

from credit.services.records import record_change_approve, record_change_propose
from publicity.models import CorrectionNotice, Publication
from publicity.services.errors import PublicityError
from publicity.services.publications import typed_record
from publicity.services.requests import objection_file, request_decide
from tests.factories.credit import days_ago

pytestmark = pytest.mark.django_db

BADGE = "异议处理中"


def _object(target):
    return objection_file(target=target, applicant_name="甲", applicant_contact="0791-86000000", content="文书号有误")


def test_entry_under_objection_shows_the_badge_in_list_and_detail(build, client):
    pub, other = build.penalty(2), build.penalty(2)
    assert BADGE not in client.get("/penalties/").content.decode()
    req = _object(pub)
    listing = client.get("/penalties/").content.decode()
    assert listing.count(BADGE) == 1
    assert BADGE in client.get(f"/penalties/{pub.pk}/").content.decode()
    assert BADGE not in client.get(f"/penalties/{other.pk}/").content.decode()
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply="维持")
    assert BADGE not in client.get(f"/penalties/{pub.pk}/").content.decode()


def test_licence_and_black_list_entries_under_objection_show_the_badge(build, client):
    lic, black = build.licence(), build.blacklist()
    _object(lic)
    _object(black)
    assert BADGE in client.get(f"/licences/{lic.pk}/").content.decode()
    assert BADGE in client.get("/black-list/").content.decode()


def test_granted_correction_of_the_decision_number_keeps_history(build, client):
    pub = build.penalty(2, day=days_ago(5))
    old_number = pub.document_number
    req = _object(pub)
    request_decide(
        request=req,
        user=build.reviewer,
        outcome="corrected",
        reply="文书号更正",
        corrections={"document_number": "洪教罚〔2026〕900号", "decision_date": days_ago(6)},
    )
    pub.refresh_from_db()
    assert pub.document_number == "洪教罚〔2026〕900号" and pub.decision_date == days_ago(6)
    history = list(pub.history.order_by("history_date").values_list("document_number", flat=True))
    assert history[-1] == "洪教罚〔2026〕900号" and old_number in history
    assert pub.history.latest().history_user == build.reviewer
    page = client.get(f"/penalties/{pub.pk}/").content.decode()
    assert "洪教罚〔2026〕900号" in page and old_number not in page
    notice = CorrectionNotice.objects.get(publication=pub, kind="corrected")
    assert old_number in notice.description and "洪教罚〔2026〕900号" in notice.description


def test_corrected_fields_survive_a_later_change_of_the_record(build):
    pub = build.penalty(8, day=days_ago(5))
    request_decide(
        request=_object(pub),
        user=build.reviewer,
        outcome="corrected",
        reply="姓名更正",
        corrections={"subject_name": "王小明"},
    )
    record = typed_record(pub.record)
    change = record_change_propose(record=record, user=build.clerk_for(8), data={"penalty_result": "给予警告"})
    record_change_approve(change=change, user=build.reviewer)
    pub.refresh_from_db()
    assert pub.subject_name == "王小明"


def test_only_publications_take_field_corrections(build):
    lic = build.licence()
    with pytest.raises(PublicityError):
        request_decide(
            request=_object(lic), user=build.reviewer, outcome="corrected", reply="x", corrections={"subject_name": "x"}
        )


def test_reviewer_corrects_the_decision_number_from_the_request_page(build, client):
    pub = build.penalty(2, day=days_ago(5))
    req = _object(pub)
    client.force_login(build.reviewer)
    url = f"/workspace/publicity/requests/objection/{req.pk}/"
    assert "更正后的决定文书号" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "corrected", "reply": "更正", "fix_document_number": "洪教罚〔2026〕901号"})
    assert response.status_code == 302
    assert Publication.objects.get(pk=pub.pk).document_number == "洪教罚〔2026〕901号"


def test_decision_date_is_a_date(build):
    pub = build.penalty(2, day=days_ago(5))
    request_decide(
        request=_object(pub),
        user=build.reviewer,
        outcome="corrected",
        reply="x",
        corrections={"decision_date": datetime.date(2026, 1, 5)},
    )
    pub.refresh_from_db()
    assert pub.corrected_fields["decision_date"] == "2026-01-05"
