"""The publication rule, enforced by the one selector everywhere: approved and published, until its end; revoked,
expired and withdrawn entries gone; items 1, 3, 4, 5 never public; the black list only by explicit decision."""

import datetime

import pytest
from django.utils import timezone

from credit.models import Publicity, RecordStatus
from credit.validators import mask_cn_id
from publicity import selectors
from publicity.models import CorrectionNotice, Publication
from publicity.services.errors import PublicityError
from publicity.services.period_end import publications_end
from publicity.services.publications import publication_publish
from tests.factories import days_ago
from tests.typed import typed

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/penalties/",
    "/red-list/",
    "/licences/",
    "/black-list/",
    "/feed/rss/",
    "/feed/atom/",
    "/api/v1/public/penalties/",
    "/api/v1/public/red-list/",
    "/api/v1/public/penalties.csv",
    "/api/v1/public/red-list.csv",
]


def _everything(client, extra=()):
    out = []
    for url in [*PUBLIC_URLS, *extra]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out.append(body.decode("utf-8"))
    return "\n".join(out)


def test_items_with_publicity_roles_match_the_catalog():
    from credit.models import Item

    roles = dict(Item.objects.values_list("no", "publicity"))
    assert {no for no, p in roles.items() if p == Publicity.PENALTY} == {2, 8}
    assert {no for no, p in roles.items() if p == Publicity.RED_LIST} == {6, 7}


def test_approved_natural_person_penalty_is_public_and_masked(build, client):
    pub = build.penalty(8)
    record = typed(pub.record)
    masked = mask_cn_id(record.id_number)
    assert pub.public_code == masked
    text = _everything(client, [f"/penalties/{pub.pk}/", f"/search/?q={record.name}"])
    assert record.name in text and masked in text
    assert record.id_number not in text
    api = client.get("/api/v1/public/penalties/").json()
    assert api["results"][0]["subject_code"] == masked


def test_approved_but_unpublished_penalty_is_not_public(build, client):
    record = build.record(8)
    assert not selectors.public_entries(selectors.PENALTIES).exists()
    assert typed(record).name not in _everything(client)


def test_penalty_past_its_publicity_end_is_gone_before_and_after_the_job(build, client):
    old = build.penalty(2, day=days_ago(200))
    # Time passes: its publicity end (here moved to yesterday) is behind us, the daily job has not run yet.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=old.pk).update(publicity_end=yesterday, valid_until=yesterday)
    current = build.penalty(2)
    assert list(selectors.public_entries(selectors.PENALTIES)) == [current]
    assert old.document_number not in _everything(client, [f"/search/?q={old.subject_name}"])
    assert client.get(f"/penalties/{old.pk}/").status_code == 404
    assert publications_end()["ended"] == 1
    old.refresh_from_db()
    assert old.ended_at is not None
    assert old.document_number not in _everything(client)


def test_revoked_decision_leaves_at_once_and_is_withdrawn_by_the_job(build, client):
    from credit.services.records import record_revoke

    pub = build.penalty(8)
    name = pub.subject_name
    record_revoke(record=pub.record, user=build.reviewer, reason="复议撤销")
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    assert name not in _everything(client)
    result = publications_end()
    assert result["withdrawn"] == 1
    assert CorrectionNotice.objects.filter(publication=pub, kind="withdrawn").exists()


def test_expired_record_is_not_public(build, client):
    pub = build.red(6)
    assert selectors.public_entries(selectors.RED_LIST).count() == 1
    type(pub.record).objects.filter(pk=pub.record_id).update(status=RecordStatus.EXPIRED)
    assert selectors.public_entries(selectors.RED_LIST).count() == 0
    assert client.get(f"/red-list/{pub.pk}/").status_code == 404


def test_red_list_is_approved_items_6_and_7_within_validity(build):
    collective = build.red(6)
    worker = build.red(7)
    build.record(7, status="submitted")
    assert set(selectors.public_entries(selectors.RED_LIST)) == {collective, worker}
    assert worker.public_code == mask_cn_id(typed(worker.record).id_number)
    past_validity = timezone.localdate() + datetime.timedelta(days=365 * 6)
    assert not selectors.public_entries(selectors.RED_LIST, today=past_validity).exists()


def test_items_1_3_4_5_are_never_public(build, client):
    names = []
    for no in (1, 3, 4, 5):
        record = build.record(no)
        names.append(typed(record).subject_name)
        with pytest.raises(PublicityError):
            publication_publish(record=record, user=build.reviewer)
    assert not Publication.objects.exists()
    text = _everything(client, [f"/search/?q={n}" for n in names])
    for name in names:
        assert f"{name}</a>" not in text


def test_black_list_is_only_explicit_decisions(build, client):
    record = build.record(9)
    build.record(10)
    assert not selectors.public_entries(selectors.BLACK_LIST).exists()
    entry = build.blacklist(record)
    assert list(selectors.public_entries(selectors.BLACK_LIST)) == [entry]
    assert entry.public_code == mask_cn_id(typed(record).doc_number)
    page = client.get(f"/black-list/{entry.pk}/").content.decode()
    for text in (entry.legal_basis, entry.document_number, entry.removal_conditions, "事先告知日期"):
        assert text in page
    assert typed(record).doc_number not in page


def test_black_list_refuses_records_that_are_not_dishonesty(build):
    red = build.record(7)
    with pytest.raises(PublicityError) as exc:
        build.blacklist(red)
    assert "records" in exc.value.errors


@pytest.mark.parametrize(("months", "ok"), [(2, False), (3, True), (36, True), (37, False)])
def test_publicity_end_between_three_months_and_three_years(build, months, ok):
    from publicity.services.publications import add_months

    record = build.record(8, day=days_ago(5))
    end = add_months(record.business_date, months)
    kwargs = {
        "record": record,
        "user": build.reviewer,
        "publicity_end": end,
        "penalty_basis": "依据",
        "penalty_category": "警告",
        "period_reason": "" if months == 3 else "情节较重",
    }
    if ok:
        assert publication_publish(**kwargs).publicity_end == end
    else:
        with pytest.raises(PublicityError) as exc:
            publication_publish(**kwargs)
        assert "publicity_end" in exc.value.errors


def test_default_publicity_end_is_the_minimum_not_three_years(build):
    from publicity.services.publications import add_months

    pub = build.penalty(8, day=days_ago(5))
    assert pub.publicity_end == add_months(pub.decision_date, 3)


def test_publish_requires_the_national_fields(build):
    record = build.record(2)
    with pytest.raises(PublicityError) as exc:
        publication_publish(record=record, user=build.reviewer)
    assert {"decision_number", "offence_type"} <= set(exc.value.errors)


def test_only_reviewers_publish(build):
    from django.core.exceptions import PermissionDenied

    record = build.record(8)
    with pytest.raises(PermissionDenied):
        publication_publish(record=record, user=build.zuren, penalty_basis="x", penalty_category="警告")


def test_licence_public_once_approved_and_published(build, client):
    draft_like = build.licence(name="南昌市未公示学校", publish=False)
    shown = build.licence(name="南昌市启航培训学校")
    assert list(selectors.public_entries(selectors.LICENCES)) == [shown]
    assert client.get(f"/licences/{draft_like.pk}/").status_code == 404
    page = client.get(f"/licences/{shown.pk}/").content.decode()
    assert shown.wsh in page and "民办学校办学许可证" in page
    assert shown.fr_zjhm not in page  # the legal representative's ID is never public
