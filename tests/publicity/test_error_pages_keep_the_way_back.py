"""An error page of the column (a withdrawn or missing entry's 404, a 405, a 500…) keeps the visitor's 大字模式 and
offers the way back: the column's home, its sections and its search box. The 500 page stays free of the database."""

import pytest
from django.template.loader import render_to_string

from tests.publicity.test_large_text_mode import _html_tag


def _way_back(page: str) -> None:
    assert 'class="brand" href="/"' in page  # the column's home
    assert '<form class="search" role="search" action="/search/" method="get">' in page
    assert 'id="site-q" name="q"' in page
    for section in ("/licences/", "/penalties/", "/red-list/", "/black-list/", "/statistics/"):
        assert f'href="{section}"' in page, section


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/penalties/999999999/", "/no-such-page/"])
def test_a_missing_entry_keeps_large_text_and_leads_back_to_the_column(client, url):
    client.cookies["nc_text_size"] = "large"
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="large-text"' in _html_tag(response)
    assert 'aria-pressed="true"' in page  # the switch shows the mode in force, and can turn it off here
    _way_back(page)


@pytest.mark.django_db
def test_an_error_page_in_normal_mode_stays_normal(client):
    response = client.get("/no-such-page/")
    assert "large-text" not in _html_tag(response)
    assert 'aria-pressed="false"' in response.content.decode()


@pytest.mark.django_db
def test_a_post_only_address_opened_directly_keeps_large_text(client):
    client.cookies["nc_text_size"] = "large"
    response = client.get("/display/text-size/")
    assert response.status_code == 405
    assert 'class="large-text"' in _html_tag(response)
    _way_back(response.content.decode())


@pytest.mark.parametrize("template", ["500.html", "413.html"])
def test_the_pages_rendered_without_a_request_lead_back_without_the_database(template):
    # No django_db mark: any database access here fails the test (the 500 page shows when the database is down).
    page = render_to_string(template)
    _way_back(page)
    assert "large-text" not in page and "aria-pressed" not in page  # no request, no cookie: no switch to post
