"""What a visitor of the column is told: a repair not yet open says from when (no form to fill in and be refused), an
entry withdrawn after a repair or objection says so on its 404, the open data carries Beijing time with its offset,
and the footer shows the website's identifiers from the settings."""

import csv
import datetime
import io

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from publicity.models import Publication
from publicity.services.requests import objection_file, repair_apply, request_decide
from tests.factories import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db


def test_repair_button_is_disabled_with_its_date_before_the_minimum_period(build, client):
    recent = build.penalty(8, day=days_ago(20))
    page = client.get(f"/penalties/{recent.pk}/").content.decode()
    assert f'href="/penalties/{recent.pk}/repair/"' not in page
    assert 'aria-disabled="true"' in page
    assert "尚未满最短公示期" in page


def test_repair_form_is_not_offered_before_the_minimum_period(build, client):
    recent = build.penalty(8, day=days_ago(20))
    page = client.get(f"/penalties/{recent.pk}/repair/").content.decode()
    assert 'id="repair-not-yet"' in page
    assert 'name="applicant_name"' not in page


def test_repair_button_links_to_the_form_once_eligible(build, client):
    old = build.penalty(2, day=days_ago(120))
    page = client.get(f"/penalties/{old.pk}/").content.decode()
    assert f'href="/penalties/{old.pk}/repair/"' in page
    assert 'name="applicant_name"' in client.get(f"/penalties/{old.pk}/repair/").content.decode()


def test_entry_withdrawn_after_repair_says_so_on_its_404(build, client):
    pub = build.penalty(2, day=days_ago(120))
    req = repair_apply(
        publication=pub, applicant_name="甲", applicant_contact="x", content="已整改", commitment=commitment_pdf()
    )
    request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="准予信用修复")
    response = client.get(f"/penalties/{pub.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "信用修复" in page and "提前撤下" in page
    assert f"已于 {timezone.localdate():%Y-%m-%d} 经信用修复撤下公示" in page
    assert "site.css" in page  # the column's look, not a bare page


def test_entry_withdrawn_after_objection_says_so_on_its_404(build, client):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="撤下")
    response = client.get(f"/penalties/{pub.pk}/")
    assert response.status_code == 404
    assert "异议申诉" in response.content.decode()


def test_unknown_entry_404_does_not_claim_a_withdrawal(client):
    response = client.get("/penalties/999999/")
    assert response.status_code == 404
    assert "撤下，不再公示" not in response.content.decode()


def _published_at(pub: Publication, when: datetime.datetime) -> None:
    Publication.objects.filter(pk=pub.pk).update(published_at=when)


def test_open_data_times_are_beijing_time_with_offset(build, client):
    pub = build.penalty(8)
    # 20:30 UTC on 1 March is 04:30 on 2 March in Beijing: the UTC form showed the previous day.
    _published_at(pub, datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC))
    rows = client.get("/api/v1/public/penalties/").json()["results"]
    assert rows[0]["published_at"] == "2026-03-02T04:30:00+08:00"
    response = client.get("/api/v1/public/penalties.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "2026-03-02T04:30:00+08:00" in text
    assert "2026-03-01T20:30:00" not in text
    assert next(csv.reader(io.StringIO(text)))  # still a CSV with its header


def test_footer_shows_the_website_identifiers_from_the_settings(client, settings):
    settings.PUBLICITY_SITE_CODE = "3601000001"
    settings.PUBLICITY_ICP_NUMBER = "赣ICP备12345678号"
    settings.PUBLICITY_PSB_NUMBER = "赣公网安备 36010202000123号"
    page = client.get("/").content.decode()
    assert "网站标识码：3601000001" in page
    assert "赣ICP备12345678号" in page and "https://beian.miit.gov.cn/" in page
    assert "code=36010202000123" in page


def test_public_pages_name_a_favicon_that_is_served(client):
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert finders.find("favicon.svg")


CONTACT_ERROR = "联系电话或电子邮箱：请填写手机号码（如 13800138000）、带区号的固定电话（如 0791-88888888）或电子邮箱，以便告知办理结果。"


@pytest.mark.parametrize("contact", ["abc", "-", "不告诉你", "123", "138079100001", "a@b"])
def test_an_objection_with_a_contact_nobody_can_answer_at_is_refused_naming_the_field(build, client, contact):
    # Before: any text was a contact; the reviewer read "联系方式 abc" and could not reply, and each new string
    # was a new contact to the cap on open cases.
    from publicity.models import Objection

    pub = build.penalty(8)
    data = {"applicant_name": "王晓明", "applicant_contact": contact, "content": "处罚日期有误，应为三月。"}
    response = client.post(f"/penalties/{pub.pk}/objection/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["applicant_contact"] == [CONTACT_ERROR]
    assert f'value="{contact}"' in response.content.decode()  # what was typed stays in the form
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    "contact",
    ["13807910000", "+86 138-0791-0000", "0791-86000000", "(0791)86000000", "0791-86000000-123", "x@example.com"],
)
def test_phone_numbers_and_e_mail_addresses_are_accepted_as_contacts(build, client, contact):
    from publicity.models import Objection

    pub = build.penalty(8)
    data = {"applicant_name": "王晓明", "applicant_contact": contact, "content": "处罚日期有误，应为三月。"}
    assert client.post(f"/penalties/{pub.pk}/objection/", data).status_code == 302
    assert Objection.objects.get().applicant_contact == contact


def test_an_applicant_name_without_a_letter_is_refused(build, client):
    pub = build.penalty(8)
    data = {"applicant_name": "？", "applicant_contact": "13807910000", "content": "处罚日期有误，应为三月。"}
    response = client.post(f"/penalties/{pub.pk}/objection/", data)
    assert response.context["form"].errors["applicant_name"] == ["申请人：请填写单位名称或个人姓名。"]
