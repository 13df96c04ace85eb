"""Black-list entries whose 失信 records are all revoked or expired leave the column at once and are removed by the
nightly job with a correction, like every other withdrawal."""

import datetime

import pytest
from django.utils import timezone

from credit.models import Record
from credit.services import records as rs
from publicity.models import BlackListEntry, CorrectionNotice
from publicity.services.period_end import publications_end

pytestmark = pytest.mark.django_db


def _public(client, entry) -> tuple[int, str, str]:
    detail = client.get(f"/black-list/{entry.pk}/").status_code
    listing = client.get("/black-list/").content.decode()
    api = client.get("/api/v1/public/black-list/").content.decode()
    csv = b"".join(client.get("/api/v1/public/black-list.csv").streaming_content).decode()
    return detail, listing + csv, api


def test_entry_leaves_when_its_only_record_is_revoked(build, client):
    entry = build.blacklist()
    detail, listing, api = _public(client, entry)
    assert detail == 200 and entry.document_number in listing and entry.document_number in api

    rs.record_revoke(record=entry.records.get(), user=build.reviewer, reason="原决定已撤销")

    detail, listing, api = _public(client, entry)
    assert detail == 404
    assert entry.document_number not in listing and entry.document_number not in api
    assert client.get("/search/", {"q": entry.subject_name}).content.decode().count(entry.document_number) == 0
    # Hidden at once, removed (with its correction) by the nightly job.
    assert BlackListEntry.objects.get(pk=entry.pk).status == "listed"
    assert publications_end()["blacklist_removed"] == 1
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removed_at is not None and "撤销或过期" in entry.removed_reason
    notice = CorrectionNotice.objects.get(blacklist_entry=entry)
    assert notice.kind == "withdrawn" and notice.source == "record_status"
    assert publications_end()["blacklist_removed"] == 0  # once only
    assert CorrectionNotice.objects.filter(blacklist_entry=entry).count() == 1


def test_entry_stays_while_one_of_its_records_is_in_force(build, client):
    first = build.record(9, seq=9301)
    second = build.record(  # the same person again: a later registration, another decision
        9, seq=9301, registration_date="2026-02-05", registration_content="再次冒用他人学历信息注册"
    )
    assert second.subject_id == first.subject_id
    entry = build.blacklist(first)
    entry.records.add(second)
    rs.record_revoke(record=first, user=build.reviewer, reason="撤销")
    assert client.get(f"/black-list/{entry.pk}/").status_code == 200
    assert publications_end()["blacklist_removed"] == 0
    assert BlackListEntry.objects.get(pk=entry.pk).status == "listed"


def test_entry_leaves_when_its_record_is_past_validity(build, client):
    entry = build.blacklist()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Record.objects.filter(pk=entry.records.get().pk).update(validity_end=yesterday)
    assert client.get(f"/black-list/{entry.pk}/").status_code == 404
    assert entry.document_number not in client.get("/api/v1/public/black-list/").content.decode()
    assert publications_end()["blacklist_removed"] == 1
    assert CorrectionNotice.objects.filter(blacklist_entry=entry, source="record_status").exists()


def test_an_entry_that_already_ended_is_not_removed_or_corrected_when_its_record_later_lapses(build, client):
    entry = build.blacklist()
    past = timezone.localdate() - datetime.timedelta(days=30)
    BlackListEntry.objects.filter(pk=entry.pk).update(listed_on=past - datetime.timedelta(days=60), end_date=past)
    assert client.get(f"/black-list/{entry.pk}/").status_code == 404  # left the column at its end date
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Record.objects.filter(pk=entry.records.get().pk).update(validity_end=yesterday)
    assert publications_end()["blacklist_removed"] == 0
    entry.refresh_from_db()
    assert entry.status == "listed" and not CorrectionNotice.objects.filter(blacklist_entry=entry).exists()


def test_a_record_past_its_validity_cannot_found_a_new_listing(build):
    from publicity.services.errors import PublicityError

    record = build.record(9, seq=9302)
    Record.objects.filter(pk=record.pk).update(validity_end=timezone.localdate() - datetime.timedelta(days=1))
    record.refresh_from_db()
    with pytest.raises(PublicityError) as caught:
        build.blacklist(record)
    assert "尚未审核通过或已失效" in str(caught.value.errors["records"])
    assert not BlackListEntry.objects.exists()


def test_a_publication_that_already_ended_is_not_withdrawn_again_when_its_decision_is_revoked(build):
    from publicity.models import Publication

    pub = build.penalty(8)
    ended = timezone.localdate() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=pub.pk).update(valid_until=ended)
    assert publications_end()["ended"] == 1
    rs.record_revoke(record=pub.record, user=build.reviewer, reason="原决定已撤销")
    assert publications_end()["withdrawn"] == 0
    pub.refresh_from_db()
    assert pub.withdrawn_at is None and not CorrectionNotice.objects.filter(publication=pub, kind="withdrawn").exists()
