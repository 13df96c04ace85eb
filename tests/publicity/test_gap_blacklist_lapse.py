"""Black-list entries whose 失信 records are all revoked or expired leave the column at once and are removed by the
nightly job with a correction, like every other withdrawal."""

import datetime

import pytest
from django.utils import timezone

from credit.models import Record
from credit.services import records as rs
from publicity.models import BlackListEntry, CorrectionNotice
from publicity.services.publications import publications_end

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
    second = build.record(9, seq=9301, registration_content="再次冒用他人学历信息注册")
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
