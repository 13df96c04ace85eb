"""The Atom feed validates (RFC 4287: the feed has an author, every entry an ``<updated>``) and says when an entry last
changed in public, in Beijing time: a correction on an objection moves the entry's ``<updated>`` and brings it into the
feed however old it is. The RSS feed stays valid RSS 2.0."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from publicity import feeds, pagecache
from publicity.models import Publication
from publicity.services.requests import objection_file, request_decide

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 with the Beijing offset (not UTC, not naive).
BEIJING_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$")


def _atom(client) -> ET.Element:
    response = client.get("/feed/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def _entry(feed: ET.Element, path: str) -> ET.Element:
    found = [e for e in feed.iter(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href").endswith(path)]
    assert len(found) == 1, path
    return found[0]


def _time(element: ET.Element, name: str) -> datetime.datetime:
    text = element.findtext(f"{ATOM}{name}")
    assert text and BEIJING_RFC3339.match(text), (name, text)
    return datetime.datetime.fromisoformat(text)


def _published_days_ago(pub: Publication, days: int) -> None:
    """As published ``days`` ago, its record approved before that (an entry a correction later changes)."""
    at = timezone.now() - datetime.timedelta(days=days)
    Publication.objects.filter(pk=pub.pk).update(published_at=at)
    type(pub.record).objects.filter(pk=pub.record_id).update(updated_at=at - datetime.timedelta(hours=1))
    pagecache.everything_changed()  # written without a save


def _correct(target, reviewer, **kwargs) -> None:
    req = objection_file(target=target, applicant_name="甲", applicant_contact="0791-86000000", content="内容有误")
    request_decide(request=req, user=reviewer, outcome="corrected", reply="予以更正", **kwargs)


def test_atom_feed_has_the_elements_rfc_4287_requires(build, client, settings):
    settings.BUREAU_NAME = "南昌市教育局"
    pub, lic, black = build.penalty(2), build.licence(), build.blacklist()
    feed = _atom(client)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "南昌市教育局"
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(entry.find(f"{ATOM}updated") is not None for entry in entries)
    for name in ("id", "title"):
        assert feed.findtext(f"{ATOM}{name}"), name
    _time(feed, "updated")
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")
        assert entry.find(f"{ATOM}link").get("href")
        assert _time(entry, "updated") >= _time(entry, "published")
    for path in (f"/penalties/{pub.pk}/", f"/licences/{lic.pk}/", f"/black-list/{black.pk}/"):
        _entry(feed, path)


def test_a_correction_moves_the_entrys_updated_and_the_feeds(build, client):
    pub = build.penalty(2)
    _published_days_ago(pub, 10)
    before = _entry(_atom(client), f"/penalties/{pub.pk}/")
    published = _time(before, "published")
    assert _time(before, "updated") == published
    assert timezone.now() - published > datetime.timedelta(days=9)

    _correct(pub, build.reviewer, corrections={"document_number": "洪教罚〔2026〕900号"})  # a field, not the content
    feed = _atom(client)
    after = _entry(feed, f"/penalties/{pub.pk}/")
    assert _time(after, "published") == published
    updated = _time(after, "updated")
    assert updated > published and timezone.now() - updated < datetime.timedelta(minutes=5)
    assert _time(feed, "updated") >= updated
    assert "洪教罚〔2026〕900号" in after.findtext(f"{ATOM}title")


@pytest.mark.parametrize("kind", ["licence", "blacklist"])
def test_a_corrected_licence_or_black_list_entry_shows_its_correction(build, client, kind):
    entry = build.licence() if kind == "licence" else build.blacklist()
    path = f"/licences/{entry.pk}/" if kind == "licence" else f"/black-list/{entry.pk}/"
    published = _time(_entry(_atom(client), path), "published")
    _correct(entry, build.reviewer, corrected_content="更正后的公示内容")
    updated = _time(_entry(_atom(client), path), "updated")
    assert updated > published


def test_an_old_entry_corrected_comes_back_into_the_feed(build, client, monkeypatch):
    monkeypatch.setattr(feeds, "PER_SECTION", 1)
    old = build.penalty(2)
    _published_days_ago(old, 30)
    newer = build.penalty(2)
    paths = [e.find(f"{ATOM}link").get("href") for e in _atom(client).iter(f"{ATOM}entry")]
    assert not any(p.endswith(f"/penalties/{old.pk}/") for p in paths)
    _correct(old, build.reviewer, corrected_content="更正后的处罚内容")
    feed = _atom(client)
    first = feed.find(f"{ATOM}entry")  # the latest change first
    assert first.find(f"{ATOM}link").get("href").endswith(f"/penalties/{old.pk}/")
    _entry(feed, f"/penalties/{newer.pk}/")


def test_an_approved_change_of_the_record_moves_updated(build, client):
    pub = build.penalty(2)
    _published_days_ago(pub, 10)
    published = _time(_entry(_atom(client), f"/penalties/{pub.pk}/"), "published")
    type(pub.record).objects.filter(pk=pub.record_id).update(updated_at=timezone.now())  # as an approved change does
    pagecache.everything_changed()
    assert _time(_entry(_atom(client), f"/penalties/{pub.pk}/"), "updated") > published


def test_rss_feed_stays_valid_rss_2(build, client):
    pub = build.penalty(2)
    response = client.get("/feed/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for name in ("title", "link", "description"):
        assert channel.findtext(name), name
    assert channel.find("author") is None  # not an RSS 2.0 channel element
    items = channel.findall("item")
    assert items
    for item in items:
        assert item.findtext("title") and item.findtext("link")
        assert item.findtext("pubDate").endswith("+0800")
        assert item.find("updated") is None
    assert any(item.findtext("link").endswith(f"/penalties/{pub.pk}/") for item in items)
    assert channel.findtext("lastBuildDate").endswith("+0800")
