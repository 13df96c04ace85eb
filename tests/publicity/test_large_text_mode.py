"""The public column's larger-text mode (适老化): one button in the header, remembered across visits."""

import pytest

pytestmark = pytest.mark.django_db


def _html_tag(response) -> str:
    return response.content.decode().split("<html", 1)[1].split(">", 1)[0]


def test_large_text_switch_is_remembered_on_every_public_page(client):
    assert "large-text" not in _html_tag(client.get("/"))
    response = client.post("/display/text-size/", {"size": "large", "next": "/penalties/?q=中学"})
    assert response.status_code == 302 and response["Location"] == "/penalties/?q=%E4%B8%AD%E5%AD%A6"
    assert response.cookies["nc_text_size"]["max-age"] >= 30 * 24 * 3600  # remembered, not a session cookie
    for url in ("/", "/penalties/", "/open-data/", "/track/"):
        page = client.get(url)
        assert 'class="large-text"' in _html_tag(page), url
        assert 'aria-pressed="true"' in page.content.decode()


def test_large_text_switch_turns_back_to_standard_size(client):
    client.post("/display/text-size/", {"size": "large", "next": "/"})
    client.post("/display/text-size/", {"size": "normal", "next": "/"})
    page = client.get("/")
    assert "large-text" not in _html_tag(page)
    assert 'aria-pressed="false"' in page.content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_large_text_switch_never_redirects_off_site(client, target):
    response = client.post("/display/text-size/", {"size": "large", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
