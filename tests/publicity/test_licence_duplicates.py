"""A licensing decision entered twice (the same 行政许可决定文书号 for the same 行政相对人) is refused, naming the first:
before, both were saved, and both would have been published and reported. Like the records' rule: only decisions
the clerk may see count, and revoked ones do not."""

import pytest

from credit.demo import credit_code
from publicity.models import LicenceDecision
from publicity.services import licences as lic
from publicity.services.errors import PublicityError
from tests.publicity.test_licence_dates import _data

pytestmark = pytest.mark.django_db

NEW = "/workspace/publicity/licences/new/"


def test_the_same_decision_saved_twice_on_the_form_is_refused_under_its_number(build, client):
    client.force_login(build.yijiao)
    assert client.post(NEW, _data()).status_code == 302
    first = LicenceDecision.objects.get()

    again = client.post(NEW, _data())

    assert again.status_code == 200
    assert f"已有相同的行政许可决定 #{first.pk}（行政相对人与行政许可决定文书号相同）" in again.content.decode()
    assert LicenceDecision.objects.count() == 1


def test_one_number_for_another_party_and_another_number_for_the_same_party_are_saved(build):
    lic.licence_create(user=build.yijiao, data=_data())
    lic.licence_create(
        user=build.yijiao, data={**_data(), "xdr_mc": "南昌市明德培训学校", "xdr_shxym": credit_code(78)}
    )
    lic.licence_create(user=build.yijiao, data={**_data(), "wsh": "洪教许〔2026〕78号"})
    assert LicenceDecision.objects.count() == 3


def test_a_draft_edited_into_another_decision_is_refused_and_a_revoked_one_does_not_count(build):
    first = lic.licence_create(user=build.yijiao, data=_data())
    second = lic.licence_create(user=build.yijiao, data={**_data(), "wsh": "洪教许〔2026〕78号"})
    with pytest.raises(PublicityError) as exc:
        lic.licence_update(licence=second, user=build.yijiao, data=_data())
    assert f"#{first.pk}" in exc.value.errors["wsh"][0]

    lic.licence_submit(licence=first, user=build.yijiao)
    lic.licence_approve(licence=first, user=build.reviewer)
    lic.licence_revoke(licence=first, user=build.reviewer, reason="决定已撤销")
    assert lic.licence_update(licence=second, user=build.yijiao, data=_data()).wsh == "洪教许〔2026〕77号"


def test_another_offices_decision_neither_blocks_nor_shows(build):
    lic.licence_create(user=build.yijiao, data=_data())
    lic.licence_create(user=build.sheguan, data=_data())
    assert LicenceDecision.objects.count() == 2
