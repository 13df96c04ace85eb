"""The column's headings go down one level at a time (WCAG 1.3.1; a screen-reader user lists them to find an entry):
on a list page each entry's heading is an h2 under the page's h1; on the search and organisation pages, where entries
sit under a section's h2, an h3."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _levels(html: str) -> list[int]:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return [int(level) for level in re.findall(r"<h([1-6])\b", main)]


def _never_skip(levels: list[int]) -> None:
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


@pytest.fixture
def entries(build):
    return {
        "penalties": build.penalty(2, seq=3),  # 南昌市豫章中学
        "red-list": build.red(),
        "licences": build.licence(name="南昌市豫章培训学校"),
        "black-list": build.blacklist(),
    }


def test_list_pages_head_each_entry_with_an_h2(entries, client):
    for section, entry in entries.items():
        html = client.get(f"/{section}/").content.decode()
        assert f'<h2 id="entry-{section}-{entry.pk}">' in html, section
        _never_skip(_levels(html))


def test_search_and_organisation_pages_head_entries_under_their_sections(entries, client):
    penalty = entries["penalties"]
    for url in ("/search/?q=豫章", f"/org/{penalty.public_code}/"):
        html = client.get(url).content.decode()
        assert f'<h3 id="entry-penalties-{penalty.pk}">' in html, url
        _never_skip(_levels(html))
