"""A "予以更正" correction of a publication's content stands: approving a later change of its record (or the red
list's refresh) does not bring the old text back."""

import pytest

from credit.services import records as rs
from publicity.models import Publication
from publicity.services.requests import objection_file, request_decide

pytestmark = pytest.mark.django_db


def _correct(build, pub, text):
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="内容有误")
    request_decide(request=req, user=build.reviewer, outcome="corrected", reply="予以更正", corrected_content=text)


def _approve_change(build, record, **values):
    change = rs.record_change_propose(record=record, user=build.clerk_for(record.item.no), data=values)
    rs.record_change_approve(change=change, user=build.reviewer)


def test_penalty_correction_survives_an_approved_record_change(build, client):
    pub = build.penalty(8)
    _correct(build, pub, "给予警告处分（已更正）")
    _approve_change(build, pub.record, penalty_result="给予记过处分", penalty_authority="南昌市教育局办公室")
    pub.refresh_from_db()
    assert pub.content == "给予警告处分（已更正）" and pub.corrected_at is not None
    assert pub.authority == "南昌市教育局办公室"  # the rest still follows the record
    page = client.get(f"/penalties/{pub.pk}/").content.decode()
    assert "给予警告处分（已更正）" in page and "给予记过处分" not in page
    assert "给予警告处分（已更正）" in client.get("/api/v1/public/penalties/").content.decode()


def test_red_list_correction_survives_a_sync(build, client):
    pub = build.red(7)
    _correct(build, pub, "南昌市教育系统先进工作者（更正）")
    _approve_change(build, pub.record, honour_matter="2025年度评选（复核）")
    assert Publication.objects.get(pk=pub.pk).content == "南昌市教育系统先进工作者（更正）"
    assert "南昌市教育系统先进工作者（更正）" in client.get(f"/red-list/{pub.pk}/").content.decode()


def test_uncorrected_publication_still_follows_its_record(build):
    pub = build.penalty(8)
    _approve_change(build, pub.record, penalty_result="给予记过处分")
    assert Publication.objects.get(pk=pub.pk).content == "给予记过处分"


def test_publishing_again_does_not_undo_a_correction(build):
    from publicity.services.publications import publication_publish

    pub = build.penalty(2)
    _correct(build, pub, "给予警告（已更正）")
    publication_publish(
        record=pub.record,
        user=build.reviewer,
        decision_number=pub.document_number,
        offence_type="违规办学",
        penalty_category="警告",
    )
    assert Publication.objects.get(pk=pub.pk).content == "给予警告（已更正）"
