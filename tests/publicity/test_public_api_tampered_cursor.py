"""The open-data API's cursor is the visitor's to edit: a position that is not an entry id is an invalid cursor
(404 "无效游标", as for a cursor that does not decode), never a 500, in every list."""

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from publicity.selectors import SECTIONS
from tests.factories.publicity import public_record

pytestmark = pytest.mark.django_db


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode("utf-8", "surrogatepass")).decode("ascii")


def _get(section: str, cursor: str):
    return APIClient().get(f"/api/v1/public/{section}/", {"cursor": cursor})


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("position", ["abc", "", "1e5", "10\0", "-1", "1.5", "１２", "99999999999999999999999"])
def test_a_cursor_whose_position_is_not_an_entry_id_is_404_invalid_cursor(section, position):
    response = _get(section, _cursor(f"p={position}"))
    assert response.status_code == 404
    assert response.json() == {"detail": "无效游标"}


@pytest.mark.parametrize("section", SECTIONS)
def test_a_cursor_that_does_not_decode_is_still_404(section):
    assert _get(section, "abc").status_code == 404


def test_the_next_link_of_a_list_still_pages_on(settings):
    settings.PUBLICITY_PAGE_CACHE_SECONDS = 0
    first, second = public_record(7), public_record(7)
    response = APIClient().get("/api/v1/public/red-list/", {"page_size": 1})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [second.publication.pk]
    following = APIClient().get(response.json()["next"])
    assert following.status_code == 200
    assert [row["id"] for row in following.json()["results"]] == [first.publication.pk]


QUERY = st.lists(st.tuples(st.sampled_from(["p", "o", "r", "x"]), st.text(max_size=24)), max_size=3).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(SECTIONS), cursor=st.one_of(st.text(max_size=40), QUERY.map(_cursor)))
def test_no_cursor_string_gives_a_500(section, cursor):
    assert _get(section, cursor).status_code in (200, 404)
