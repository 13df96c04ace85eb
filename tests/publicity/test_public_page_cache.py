"""Anonymous public pages come from the cache (publicity.pagecache), and a cached page never outlives what it shows:
no entry stays on the list, its detail page, the search or the open-data JSON after it is withdrawn, corrected or past
its end. Signed-in staff never get a cached page, and no visitor gets another's variant (larger text, CSRF token)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from publicity.models import Publication
from publicity.pagecache import CACHE_HEADER
from publicity.services.publications import publication_withdraw
from publicity.services.requests import objection_file, request_decide
from tests.factories import days_ago

pytestmark = pytest.mark.django_db


def _urls(pub: Publication) -> list[str]:
    return [
        "/penalties/",
        f"/penalties/{pub.pk}/",
        f"/search/?q={pub.document_number}",
        "/api/v1/public/penalties/",
        "/",
    ]


def _warm(client, urls: list[str]) -> None:
    """Each page twice: the second answer is the cached one."""
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)[CACHE_HEADER] == "hit", url


def _text(client, url: str) -> str:
    return client.get(url).content.decode()


def _shown(client, pub: Publication, url: str) -> bool:
    """Whether the page at ``url`` lists ``pub`` (a link to its detail page; the JSON by its document number; the
    search page echoes the term in its search box, so the term alone says nothing)."""
    text = _text(client, url)
    return pub.document_number in text if url.startswith("/api/") else f"/penalties/{pub.pk}/" in text


def test_public_pages_are_served_from_the_cache(build, client):
    pub = build.penalty(2)
    first = client.get("/penalties/")
    assert first[CACHE_HEADER] == "miss"
    # A change nothing announces (a raw update) is not seen: the page came from the cache.
    Publication.objects.filter(pk=pub.pk).update(subject_name="未经服务修改的名称")
    second = client.get("/penalties/")
    assert second[CACHE_HEADER] == "hit"
    assert pub.subject_name in second.content.decode() and "未经服务修改的名称" not in second.content.decode()


def test_browsers_sending_different_accept_headers_share_one_cached_page(build, client):
    build.penalty(2)
    firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    assert client.get("/penalties/", HTTP_ACCEPT=firefox)[CACHE_HEADER] == "miss"
    assert client.get("/penalties/", HTTP_ACCEPT=chromium)[CACHE_HEADER] == "hit"
    # The open-data API answers by Accept: JSON and DRF's HTML page are stored apart.
    assert client.get("/api/v1/public/penalties/", HTTP_ACCEPT="application/json")[CACHE_HEADER] == "miss"
    html = client.get("/api/v1/public/penalties/", HTTP_ACCEPT="text/html")
    assert html[CACHE_HEADER] == "miss" and html["Content-Type"].startswith("text/html")


def test_no_stale_entry_after_a_withdrawal(build, client):
    pub, other = build.penalty(2), build.penalty(2)
    urls = _urls(pub)
    _warm(client, urls)
    assert all(_shown(client, pub, url) for url in urls if url != f"/penalties/{pub.pk}/")

    publication_withdraw(publication=pub, user=build.reviewer, reason="信用修复")

    for url in ["/penalties/", f"/search/?q={pub.document_number}", "/api/v1/public/penalties/", "/"]:
        assert not _shown(client, pub, url), url
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    csv = b"".join(client.get("/api/v1/public/penalties.csv").streaming_content).decode()
    assert pub.document_number not in csv and other.document_number in csv
    # Another entry's detail page is keyed by its own version: still served from the cache.
    assert client.get(f"/penalties/{other.pk}/").status_code == 200
    assert client.get(f"/penalties/{other.pk}/")[CACHE_HEADER] == "hit"


def test_no_stale_entry_after_its_record_is_revoked(build, client):
    from credit.services import records as rs

    pub = build.penalty(8)
    _warm(client, _urls(pub))
    rs.record_revoke(record=pub.record, user=build.reviewer, reason="原决定已撤销")
    assert pub.document_number not in _text(client, "/penalties/")
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    assert pub.document_number not in _text(client, "/api/v1/public/penalties/")


def test_no_stale_text_after_a_correction(build, client):
    pub = build.penalty(2, day=days_ago(5))
    old = pub.document_number
    _warm(client, _urls(pub))
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="13907910000", content="文书号有误")
    assert "异议处理中" in _text(client, f"/penalties/{pub.pk}/")
    request_decide(
        request=req,
        user=build.reviewer,
        outcome="corrected",
        reply="文书号更正",
        corrections={"document_number": "洪教罚〔2026〕901号"},
    )
    for url in ["/penalties/", f"/penalties/{pub.pk}/", "/api/v1/public/penalties/", "/"]:
        text = _text(client, url)
        assert "洪教罚〔2026〕901号" in text and old not in text, url
    assert "洪教罚〔2026〕901号" in _text(client, "/search/?q=洪教罚〔2026〕901号")


def test_no_stale_entry_after_its_end_date(build, client, monkeypatch):
    pub = build.penalty(2)
    Publication.objects.filter(pk=pub.pk).update(valid_until=timezone.localdate(), publicity_end=timezone.localdate())
    _warm(client, _urls(pub))
    # Midnight passes (Beijing time); nothing is saved, the daily job has not run.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    for url in ["/penalties/", f"/search/?q={pub.document_number}", "/api/v1/public/penalties/", "/"]:
        assert not _shown(client, pub, url), url
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    csv = b"".join(client.get("/api/v1/public/penalties.csv").streaming_content).decode()
    assert pub.document_number not in csv


def test_a_signed_in_clerk_never_gets_a_cached_page(build, client, clerk):
    pub = build.penalty(2)
    _warm(client, ["/penalties/", f"/penalties/{pub.pk}/"])
    Publication.objects.filter(pk=pub.pk).update(subject_name="已改名称单位")
    staff = Client()
    staff.force_login(clerk)
    for url in ["/penalties/", f"/penalties/{pub.pk}/"]:
        response = staff.get(url)
        assert CACHE_HEADER not in response and "已改名称单位" in response.content.decode(), url
    # Nor is a page rendered for a signed-in user stored for anyone.
    staff.get("/red-list/")
    assert Client().get("/red-list/")[CACHE_HEADER] == "miss"


def test_larger_text_visitors_and_others_get_their_own_variant(client):
    large = Client()
    large.cookies["nc_text_size"] = "large"
    assert 'class="large-text"' in large.get("/penalties/").content.decode()
    assert large.get("/penalties/")[CACHE_HEADER] == "hit"
    normal = client.get("/penalties/")
    assert normal[CACHE_HEADER] == "miss" and "large-text" not in normal.content.decode()
    assert 'class="large-text"' in large.get("/penalties/").content.decode()


def test_public_pages_set_no_cookie_and_the_text_switch_needs_no_token():
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/penalties/")
    # Nothing of one visitor on the page: it can be served to the next one as it is.
    assert not page.cookies and "csrfmiddlewaretoken" not in page.content.decode()
    switched = visitor.post("/display/text-size/", {"size": "large", "next": "/penalties/"})
    assert switched.status_code == 302 and switched.cookies["nc_text_size"].value == "large"


def test_a_csrf_token_on_a_cached_page_is_each_visitors_own(rf):
    """A page with a form posting to this site carries a token in the cache only as a placeholder: each visitor gets
    a token of their own secret (a masked token reveals its secret, so another visitor's would be theirs to forge)."""
    from django.http import HttpResponse
    from django.middleware.csrf import _unmask_cipher_token
    from django.template import RequestContext, Template

    from publicity import pagecache

    template = Template('<form method="post">{% csrf_token %}</form>')

    @pagecache.public_page("csrf-form")
    def view(request):
        return HttpResponse(template.render(RequestContext(request)))

    def token(response) -> str:
        return response.content.decode().split('value="', 1)[1].split('"', 1)[0]

    first, second = rf.get("/form/"), rf.get("/form/")
    assert view(first)[CACHE_HEADER] == "miss"
    served = view(second)
    assert served[CACHE_HEADER] == "hit"
    secret = second.META["CSRF_COOKIE"]
    assert secret != first.META["CSRF_COOKIE"] and second.META["CSRF_COOKIE_NEEDS_UPDATE"]
    assert _unmask_cipher_token(token(served)) == secret


def test_a_visitor_with_pending_messages_gets_a_page_of_their_own(client):
    client.get("/penalties/")
    client.cookies["messages"] = "pending"
    assert CACHE_HEADER not in client.get("/penalties/")


def test_unknown_query_parameters_are_not_cached(client):
    client.get("/penalties/?utm=1")
    assert CACHE_HEADER not in client.get("/penalties/?utm=1")


def test_page_cache_can_be_turned_off(client, settings):
    settings.PUBLICITY_PAGE_CACHE_SECONDS = 0
    client.get("/penalties/")
    assert CACHE_HEADER not in client.get("/penalties/")


@pytest.mark.redis
def test_pages_cached_in_redis_leave_after_a_withdrawal(build, client, settings):
    """The production cache: versions and pages in Redis, shared by every gunicorn worker."""
    import os
    import uuid

    import redis

    prefix = f"test-pagecache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    try:
        pub = build.penalty(2)
        _warm(client, _urls(pub))
        publication_withdraw(publication=pub, user=build.reviewer, reason="信用修复")
        assert not _shown(client, pub, "/penalties/") and not _shown(client, pub, "/api/v1/public/penalties/")
        assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    finally:  # this test's keys only: the Redis database may be shared (never FLUSHDB)
        server = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)


@pytest.mark.django_db(transaction=True)
def test_withdrawing_many_entries_in_one_transaction_replaces_the_page_versions_once(build):
    from unittest import mock

    from django.db import transaction

    from publicity import pagecache

    entries = [build.penalty(2) for _ in range(3)]
    with mock.patch.object(pagecache, "_replace_after_commit") as after, transaction.atomic():
        for pub in entries:
            publication_withdraw(publication=pub, user=build.reviewer, reason="信用修复")
    assert after.call_count == 1
    assert {f"penalties#{pub.pk}" for pub in entries} <= after.call_args.args[0]
