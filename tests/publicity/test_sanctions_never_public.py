"""A 处分 (disciplinary sanction) is not a 行政处罚: item 8 records say which they are, and a sanction is never on the
column, never in the publish queue, never in the national 双公示 export; natural persons are not found by name alone."""

from __future__ import annotations

import re

import pytest

from credit.catalog import PENALTY, ItemSpec
from credit.services.records import record_change_approve, record_change_propose
from credit.validators import mask_cn_id
from publicity import selectors
from publicity.models import Publication
from publicity.services.approvals import record_approve_and_publish
from publicity.services.errors import PublicityError
from publicity.services.publications import publication_publish, typed_record
from reporting.exporters import DoublePublicityPenaltyExporter
from tests.factories.credit import days_ago

pytestmark = pytest.mark.django_db

# The item whose records may be a 处分, and the value meaning so: from the catalogue, never a literal item number.
SANCTION_ITEM = next(item for item in ItemSpec.items_with(publicity=PENALTY) if item.not_published)
NATURE, (SANCTION,) = next(iter(SANCTION_ITEM.not_published.items()))

PUBLIC_URLS = [
    "/",
    "/penalties/",
    "/feed/rss/",
    "/feed/atom/",
    "/api/v1/public/penalties/",
    "/api/v1/public/penalties.csv",
]


def _everything(client, extra=()):
    out = []
    for url in [*PUBLIC_URLS, *extra]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out.append(body.decode("utf-8"))
    return "\n".join(out)


def _sanction(build, **kwargs):
    return build.record(SANCTION_ITEM.no, status="submitted", day=days_ago(5), **{NATURE: SANCTION}, **kwargs)


def test_approving_a_sanction_publishes_nothing(build, client):
    record = _sanction(build)
    outcome = record_approve_and_publish(record=record, user=build.reviewer, publication={"penalty_category": "警告"})
    assert outcome.record.status == "approved"
    assert not outcome.publication_requested and not Publication.objects.filter(record=record).exists()
    typed = typed_record(record)
    number, masked = typed.decision_number, mask_cn_id(typed.id_number)
    assert number not in _everything(client) and masked not in _everything(client)
    found = client.get("/search/", {"q": number}).content.decode()
    assert masked not in found and not re.search(r"/penalties/\d+/", found)


def test_publishing_a_sanction_is_refused(build):
    record = build.record(SANCTION_ITEM.no, day=days_ago(5), **{NATURE: SANCTION})
    with pytest.raises(PublicityError) as exc:
        publication_publish(record=record, user=build.reviewer, penalty_basis="依据", penalty_category="警告")
    assert "处分" in str(exc.value)


def test_publish_queue_excludes_sanctions(build):
    sanction = build.record(SANCTION_ITEM.no, day=days_ago(5), **{NATURE: SANCTION})
    penalty = build.record(SANCTION_ITEM.no, day=days_ago(5))
    queued = set(selectors.penalties_awaiting_publication().values_list("pk", flat=True))
    assert penalty.pk in queued and sanction.pk not in queued


def test_a_sanction_record_never_appears_on_any_public_url(build, client):
    """Published as a penalty, then corrected to a 处分 by an approved change: it leaves every public URL at once."""
    pub = build.penalty(SANCTION_ITEM.no, day=days_ago(5))
    record = typed_record(pub.record)
    number, masked = pub.document_number, pub.public_code
    assert number in _everything(client)
    change = record_change_propose(record=record, user=build.clerk_for(SANCTION_ITEM.no), data={NATURE: SANCTION})
    record_change_approve(change=change, user=build.reviewer)
    pub.refresh_from_db()
    assert pub.withdrawn_at is not None
    assert number not in _everything(client) and masked not in _everything(client)
    for q in (number, f"{record.name} {masked[-4:]}"):
        assert f"/penalties/{pub.pk}/" not in client.get("/search/", {"q": q}).content.decode()
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    # Even a publication row left visible by mistake (withdrawal undone) is filtered by the selectors themselves.
    Publication.objects.filter(pk=pub.pk).update(withdrawn_at=None)
    assert not selectors.public_entries(selectors.PENALTIES).filter(pk=pub.pk).exists()
    assert number not in _everything(client)
    assert f"/penalties/{pub.pk}/" not in client.get("/search/", {"q": number}).content.decode()
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404


def test_national_export_leaves_sanctions_out(build):
    model = typed_record(build.record(SANCTION_ITEM.no, day=days_ago(5))).__class__
    sanction = build.record(SANCTION_ITEM.no, day=days_ago(5), **{NATURE: SANCTION})
    exporter = DoublePublicityPenaltyExporter(SANCTION_ITEM.no, model.objects.all())
    pks = [pk for pk, _row in exporter._rows_by_record()]
    assert sanction.pk not in pks and len(pks) == 1


def test_natural_person_not_found_by_name_alone_by_default(build, client):
    pub = build.penalty(SANCTION_ITEM.no, day=days_ago(5))
    name = typed_record(pub.record).name
    assert f"/penalties/{pub.pk}/" not in client.get("/search/", {"q": name}).content.decode()
    assert f"/penalties/{pub.pk}/" not in client.get("/api/v1/public/penalties/", {"q": name}).content.decode()
    for q in (f"{name} {pub.public_code[-4:]}", f"{name} {pub.document_number}", pub.document_number):
        assert f"/penalties/{pub.pk}/" in client.get("/search/", {"q": q}).content.decode(), q


def test_setting_allows_natural_persons_to_be_found_by_name(build, client, settings):
    settings.PUBLICITY_NAME_SEARCH_NATURAL_PERSONS = True
    pub = build.penalty(SANCTION_ITEM.no, day=days_ago(5))
    name = typed_record(pub.record).name
    assert f"/penalties/{pub.pk}/" in client.get("/search/", {"q": name}).content.decode()
