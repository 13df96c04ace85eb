"""The publicity workspace: what is due for publication, publishing with a publicity end, licences entered by clerks
and approved by reviewers, black-list decisions, articles, and the request queue; other roles get 403, objects outside
the user's scope 404."""

import datetime

import pytest
from django.utils import timezone

from publicity import selectors
from publicity.models import LicenceDecision, LicenceStatus, Objection, Publication
from publicity.services.periods import add_months
from publicity.services.requests import objection_file

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_due_for_publication_and_publish(build, client):
    record = build.record(2)
    c = _login(client, build.reviewer)
    html = c.get("/workspace/publicity/").content.decode()
    assert f"/workspace/publicity/publish/{record.pk}/" in html
    form = c.get(f"/workspace/publicity/publish/{record.pk}/")
    assert form.status_code == 200
    end = add_months(record.business_date, 12)  # a year on (29 February: the 28th)
    response = c.post(
        f"/workspace/publicity/publish/{record.pk}/",
        {
            "decision_number": "洪教罚〔2026〕99号",
            "offence_type": "违规招生",
            "offence_facts": "未按规定办理招生备案",
            "penalty_basis": "《民办教育促进法》第六十二条",
            "penalty_category": "警告",
            "publicity_end": end.isoformat(),
            "period_reason": "情节较重，公示一年",
        },
    )
    assert response.status_code == 302
    pub = Publication.objects.get(record=record)
    assert pub.publicity_end == end and pub.document_number == "洪教罚〔2026〕99号"
    assert f"/workspace/publicity/publish/{record.pk}/" not in c.get("/workspace/publicity/").content.decode()


def test_publish_form_rejects_an_end_beyond_three_years(build, client):
    record = build.record(8)
    c = _login(client, build.reviewer)
    end = record.business_date + datetime.timedelta(days=365 * 3 + 5)
    response = c.post(
        f"/workspace/publicity/publish/{record.pk}/",
        {
            "decision_number": "x",
            "offence_type": "x",
            "offence_facts": "x",
            "penalty_basis": "x",
            "penalty_category": "警告",
            "publicity_end": end.isoformat(),
        },
    )
    assert response.status_code == 200 and "公示截止日期应在" in response.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/workspace/publicity/",
        "/workspace/publicity/publications/",
        "/workspace/publicity/black-list/new/",
        "/workspace/publicity/news/new/",
    ],
)
def test_reviewer_pages_are_403_for_clerks_and_login_for_visitors(build, client, url):
    assert client.get(url).status_code == 302
    assert _login(client, build.zuren).get(url).status_code == 403


def test_licence_entered_by_clerk_approved_by_reviewer_goes_public(build, client):
    from django.conf import settings

    c = _login(client, build.yijiao)
    today = timezone.localdate()
    data = {
        "xdr_mc": "南昌市新知培训学校",
        "xdr_lb": "法人及非法人组织",
        "xdr_shxym": "12360100MB0000000X",
        "xkws": "民办学校办学许可证",
        "wsh": "洪教许〔2026〕1号",
        "xklb": "普通",
        "nr": "准予设立",
        "jdrq": today.isoformat(),
        "yxqz": today.isoformat(),
        "yxqzi": (today + datetime.timedelta(days=900)).isoformat(),
        "xkjg": "南昌市教育局",
        "xkjgdm": settings.BUREAU_CREDIT_CODE,
        "lydw": "南昌市教育局",
        "lydwdm": settings.BUREAU_CREDIT_CODE,
        "submit": "1",
    }
    bad = c.post("/workspace/publicity/licences/new/", data)
    assert bad.status_code == 200 and "xdr_shxym" in bad.content.decode()  # bad check character
    from credit.demo import credit_code

    data["xdr_shxym"] = credit_code(42)
    response = c.post("/workspace/publicity/licences/new/", data)
    assert response.status_code == 302
    licence = LicenceDecision.objects.get()
    assert licence.status == LicenceStatus.SUBMITTED
    assert c.post(f"/workspace/publicity/licences/{licence.pk}/approve/").status_code == 403
    c.logout()
    r = _login(client, build.reviewer)
    assert "待审核" in r.get("/workspace/publicity/").content.decode()
    r.post(f"/workspace/publicity/licences/{licence.pk}/approve/", {"publish": "1"})
    assert list(selectors.public_entries(selectors.LICENCES)) == [licence]


def test_other_offices_licences_are_404(build, client, clerk_sheguan):
    licence = build.licence()
    assert _login(client, clerk_sheguan).get(f"/workspace/publicity/licences/{licence.pk}/").status_code == 404


def test_black_list_decision_through_the_workspace(build, client):
    record = build.record(10)
    c = _login(client, build.reviewer)
    today = timezone.localdate()
    response = c.post(
        "/workspace/publicity/black-list/new/",
        {
            "subject_code": record.subject.identifier,
            "records": str(record.pk),
            "reason": "骗取资格",
            "legal_basis": "依据",
            "document_number": "洪教信〔2026〕1号",
            "decision_date": today.isoformat(),
            "notified_on": today.isoformat(),
            "listed_on": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=365)).isoformat(),
            "removal_conditions": "整改完成",
        },
    )
    assert response.status_code == 302
    assert selectors.public_entries(selectors.BLACK_LIST).count() == 1


def test_request_queue_shows_the_timer_and_decides(build, client):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    c = _login(client, build.reviewer)
    html = c.get("/workspace/publicity/").content.decode()
    assert req.tracking_code in html and "个工作日" in html
    response = c.post(f"/workspace/publicity/requests/objection/{req.pk}/", {"outcome": "upheld", "reply": "维持"})
    assert response.status_code == 302
    assert Objection.objects.get().outcome == "upheld"


def test_articles_are_edited_by_reviewers(build, client):
    c = _login(client, build.reviewer)
    response = c.post(
        "/workspace/publicity/news/new/",
        {
            "title": "信用动态一则",
            "source": "南昌市教育局",
            "body": "正文",
            "is_published": "on",
            "published_at": "2026-01-01 08:00:00",
        },
    )
    assert response.status_code == 302
    assert "信用动态一则" in client.get("/news/").content.decode()
