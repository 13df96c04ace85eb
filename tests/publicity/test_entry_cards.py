"""An entry as the public lists, the search and the organisation page show it (``{% entry_card %}``): each card links
to its own page and, for an organisation, to the organisation's page; it shows its section's facts with their labels;
a natural person's number is shown masked and never linked."""

import re

import pytest

from credit.models import SubjectKind

pytestmark = pytest.mark.django_db


def _cards(html: str) -> dict[str, str]:
    """Each card's HTML by its heading id."""
    return dict(re.findall(r'<article class="entry" aria-labelledby="([^"]+)">(.*?)</article>', html, re.S))


def test_every_card_links_to_its_own_entry_and_organisation(build, client):
    first, second = build.penalty(2, seq=3), build.penalty(2, seq=4)
    cards = _cards(client.get("/penalties/").content.decode())
    for pub in (first, second):
        card = cards[f"entry-penalties-{pub.pk}"]
        assert f'<a href="/penalties/{pub.pk}/">{pub.subject_name}</a>' in card
        assert f'<a href="/org/{pub.public_code}/">{pub.public_code}</a>' in card
        assert "<dt>统一社会信用代码</dt>" in card and "<dt>决定日期</dt>" in card
        assert f"<dd>{pub.decision_date:%Y-%m-%d}</dd>" in card


def test_cards_of_every_section_show_their_own_facts(build, client):
    penalty = build.penalty(2, seq=3)  # 南昌市豫章中学
    licence = build.licence(name="南昌市豫章培训学校")
    black = build.blacklist()
    cards = _cards(client.get("/search/", {"q": "豫章"}).content.decode())
    cards.update(_cards(client.get("/black-list/").content.decode()))
    assert "<dt>内容</dt>" in cards[f"entry-penalties-{penalty.pk}"]
    licence_card = cards[f"entry-licences-{licence.pk}"]
    assert f'<a href="/licences/{licence.pk}/">南昌市豫章培训学校</a>' in licence_card
    assert f"<dd>{licence.public.xkws}（{licence.xklb}）</dd>" in licence_card
    black_card = cards[f"entry-black-list-{black.pk}"]
    assert f'<a href="/black-list/{black.pk}/">' in black_card
    assert "<dt>认定文书号</dt>" in black_card and f"<dd>{black.end_date:%Y-%m-%d}</dd>" in black_card


def test_a_natural_persons_card_shows_the_masked_number_unlinked(build, client):
    pub = build.penalty(8)
    assert pub.subject_kind == SubjectKind.NATURAL
    card = _cards(client.get("/penalties/").content.decode())[f"entry-penalties-{pub.pk}"]
    assert f"<dt>证件号码</dt><dd>{pub.public_code}</dd>" in card
    assert "*" in pub.public_code and "/org/" not in card


def test_long_content_is_cut_and_markup_in_a_name_is_escaped(build, client):
    pub = build.penalty(2, seq=3)
    pub.subject_name = "南昌市<b>豫章</b>中学"
    pub.content = "违规办学" * 40
    pub.save(update_fields=["subject_name", "content"])
    card = _cards(client.get("/penalties/").content.decode())[f"entry-penalties-{pub.pk}"]
    assert "南昌市&lt;b&gt;豫章&lt;/b&gt;中学" in card and "<b>" not in card
    # Cut at 80 characters with the Chinese catalogue's ellipsis (Django's "String to return when truncating text").
    assert re.findall(r"<dt>内容</dt><dd>(.*?)</dd>", card) == ["违规办学" * 19 + "违..."]
