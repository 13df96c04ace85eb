"""The same objection sent twice (a second press of 提交 whose first answer was never shown, or the form sent again
from the browser's history) opens one case: the second answer is the first case's status page with its tracking
code. Before, each sending opened a case with a tracking code of its own for the same thing."""

import pytest

from publicity.models import Objection
from publicity.services.requests import request_decide
from tests.publicity.test_requests import _file

pytestmark = pytest.mark.django_db


def test_the_same_objection_sent_twice_opens_one_case_and_shows_its_code(build, client):
    pub = build.penalty(2)
    url = f"/penalties/{pub.pk}/objection/"
    first = _file(client, url)
    case = Objection.objects.get()

    again = _file(client, url)

    assert again.status_code == 302 and again["Location"] == f"/track/{case.tracking_code}/"
    assert Objection.objects.count() == 1
    page = client.get(again["Location"]).content.decode()
    assert "相同的申请已于" in page and "未重复提交" in page and case.tracking_code in page
    assert first["Location"] == again["Location"]


def test_other_words_another_applicant_or_a_decided_case_open_a_new_case(build, client):
    pub = build.penalty(2)
    url = f"/penalties/{pub.pk}/objection/"
    _file(client, url)
    _file(client, url, content="处罚日期有误")
    _file(client, url, applicant_name="南昌市第二中学")
    assert Objection.objects.count() == 3

    first = Objection.objects.order_by("pk").first()
    request_decide(request=first, user=build.reviewer, outcome="upheld", reply="经核实，公示内容无误。")
    assert _file(client, url).status_code == 302
    assert Objection.objects.count() == 4
