"""Search over everything public (2+ characters, name, credit code, document number), keyset pagination, org pages,
feeds and open data; the number of queries of a list page and a search does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publicity.models import NewsItem
from publicity.services.content import article_save

pytestmark = pytest.mark.django_db


def test_search_finds_a_school_by_any_two_character_part_and_by_credit_code(build, client):
    pub = build.penalty(2, seq=3)  # 南昌市豫章中学
    name = pub.subject_name
    assert name == "南昌市豫章中学"
    for i in range(len(name) - 1):
        part = name[i : i + 2]
        html = client.get("/search/", {"q": part}).content.decode()
        assert f"/penalties/{pub.pk}/" in html, part
    html = client.get("/search/", {"q": pub.public_code}).content.decode()
    assert f"/penalties/{pub.pk}/" in html
    html = client.get("/search/", {"q": pub.public_code.lower()[4:12]}).content.decode()
    assert f"/penalties/{pub.pk}/" in html
    html = client.get("/search/", {"q": pub.document_number}).content.decode()
    assert f"/penalties/{pub.pk}/" in html
    api = client.get("/api/v1/public/penalties/", {"q": "豫章"}).json()
    assert [r["id"] for r in api["results"]] == [pub.pk]


def test_search_term_of_one_character_is_refused(build, client):
    build.penalty(2)
    html = client.get("/search/", {"q": "南"}).content.decode()
    assert "请至少输入两个字符" in html
    assert "/penalties/" not in html.split("<main", 1)[1].split("</main>")[0].replace('href="/penalties/"', "")


def test_search_covers_licences_black_list_policies_and_news(build, reviewer, client):
    lic = build.licence(name="南昌市启航培训学校")
    black = build.blacklist()
    build.policy()
    article_save(
        model=NewsItem,
        user=reviewer,
        data={
            "title": "市教育局召开信用体系建设推进会",
            "source": "南昌市教育局",
            "body": "……",
            "is_published": "on",
            "published_at": "2026-01-06 09:00",
        },
    )
    assert "启航培训学校" in client.get("/search/", {"q": "启航"}).content.decode()
    assert f"/licences/{lic.pk}/" in client.get("/search/", {"q": lic.wsh}).content.decode()
    # A natural person is found by name together with the last four characters of the masked ID, not by name alone.
    by_name_and_id = f"{black.subject_name} {black.public_code[-4:]}"
    assert f"/black-list/{black.pk}/" in client.get("/search/", {"q": by_name_and_id}).content.decode()
    assert "信用修复管理办法" in client.get("/search/", {"q": "修复管理"}).content.decode()
    assert "推进会" in client.get("/search/", {"q": "体系建设"}).content.decode()
    home = client.get("/").content.decode()
    for heading in (
        "双公示",
        "行政许可",
        "行政处罚",
        "红名单",
        "黑名单",
        "诚信制度",
        "信用动态",
        'lang="zh-hans"',
        'role="search"',
        "<main",
        "<nav",
    ):
        assert heading in home


def test_keyset_pagination_walks_every_entry_once(build, client, settings):
    settings.PUBLICITY_PAGE_SIZE = 3
    pubs = [build.red(6) for _ in range(7)]
    seen, url = [], "/red-list/"
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [e.pk for e in page.items]
        url = f"/red-list/?after={page.next_cursor}" if page.next_cursor else None
    assert seen == sorted((p.pk for p in pubs), reverse=True)
    api, ids = "/api/v1/public/red-list/?page_size=3", []
    while api:
        data = client.get(api).json()
        ids += [r["id"] for r in data["results"]]
        api = data["next"]
    assert ids == seen


def test_org_page_lists_licences_penalties_and_list_entries(build, client):
    from credit.demo import credit_code

    code = credit_code(4)
    penalty = build.penalty(2, seq=4)
    red = build.red(6, seq=4, override_reason="已核查")  # the penalised school's award, past the credit check
    licence = build.licence(name=penalty.subject_name, code=code)
    assert penalty.public_code == red.public_code == code
    html = client.get(f"/org/{code}/").content.decode()
    for url in (f"/penalties/{penalty.pk}/", f"/red-list/{red.pk}/", f"/licences/{licence.pk}/"):
        assert url in html
    assert client.get("/org/12360100MA0000000X/").status_code == 404


def test_feeds_list_new_entries(build, client):
    pub = build.penalty(8)
    for url in ("/feed/rss/", "/feed/atom/"):
        body = client.get(url).content.decode()
        assert pub.subject_name in body and f"/penalties/{pub.pk}/" in body


def test_csv_download_is_excel_friendly_and_formula_safe(build, client):
    pub = build.penalty(2)
    from publicity.models import Publication

    Publication.objects.filter(pk=pub.pk).update(content='=HYPERLINK("http://x")')
    response = client.get("/api/v1/public/penalties.csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff编号,")
    assert "'=HYPERLINK" in body
    assert response["Content-Type"].startswith("text/csv")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_search_queries_do_not_grow_with_rows(build, client, settings):
    settings.PUBLICITY_PAGE_CACHE_SECONDS = 0  # the pages' own queries, not the cache's answer
    for _ in range(2):
        build.penalty(2)
        build.red(7)
    build.licence()
    urls = [
        "/penalties/",
        "/red-list/",
        "/licences/",
        "/black-list/",
        "/search/?q=南昌市",
        "/",
        "/api/v1/public/penalties/",
        "/api/v1/public/red-list/?q=南昌",
    ]
    before = {u: _count(client, u) for u in urls}
    for _ in range(6):
        build.penalty(2)
        build.red(7)
        build.licence()
    after = {u: _count(client, u) for u in urls}
    assert before == after
    assert after["/penalties/"] == 1
    assert after["/search/?q=南昌市"] == 6  # four lists, policies, news


def test_org_page_says_when_a_section_has_more_and_links_to_all_of_them(build, client, monkeypatch):
    from credit.demo import credit_code
    from publicity.views import public

    monkeypatch.setattr(public, "ORG_ROWS", 1)
    code = credit_code(4)
    first = build.penalty(2, seq=4)
    day = first.decision_date - datetime.timedelta(days=1)  # another decision: the same day and kind is one record
    second = build.penalty(2, seq=4, day=day, decision_number="洪教罚〔2026〕99号")
    assert first.public_code == second.public_code == code
    html = client.get(f"/org/{code}/").content.decode()
    assert "前 1 条" in html and f"/penalties/?q={code}" in html
    shown = [f"/penalties/{pub.pk}/" in html for pub in (first, second)]
    assert sorted(shown) == [False, True]
