"""Years and periods typed into the oversight pages and API: one parser, a clear Chinese message, never a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.models import Indicator
from oversight.periods import PeriodError, parse_period, parse_year

pytestmark = pytest.mark.django_db

BAD_YEARS = ["²", "２０２６", "٢٠٢٦", "abc", "1999", "2101", "-2026", "20260", "99999999999999999999", "2026.0"]


def _year_message(value: str) -> str:
    return f"年度“{value}”无效：应为 2000 至 2100 之间的四位数字年份，如 2026。"


@pytest.mark.parametrize("value", BAD_YEARS)
def test_parse_year_refuses_anything_but_four_ascii_digits_in_range(value):
    with pytest.raises(PeriodError) as exc:
        parse_year(value)
    assert str(exc.value) == _year_message(value)


def test_parse_year_reads_a_year_and_defaults_when_blank():
    assert parse_year(" 2026 ") == 2026
    assert parse_year("", default=2031) == 2031
    assert parse_year(None, default=2031) == 2031
    with pytest.raises(PeriodError):
        parse_year("")


@pytest.mark.parametrize("value", ["٢٠٢٦", "２０２６-03", "²⁰²⁶Q1"])
def test_periods_take_ascii_digits_only(value):
    with pytest.raises(PeriodError):
        parse_period(value)


@pytest.mark.parametrize("value", BAD_YEARS)
def test_indicator_page_with_a_bad_year_shows_the_message_and_this_year(client, general_office_reviewer, value):
    client.force_login(general_office_reviewer)
    response = client.get(reverse("oversight:indicators"), {"year": value})
    assert response.status_code == 200  # like the dashboard's period chooser: the page, with the error shown
    assert _year_message(value) in response.content.decode()
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize("value", BAD_YEARS)
def test_indicator_api_with_a_bad_year_is_400_with_the_same_message(client, general_office_reviewer, value):
    client.force_login(general_office_reviewer)
    response = client.get("/api/v1/oversight/indicators/", {"year": value})
    assert response.status_code == 400
    assert response.json() == {"year": [_year_message(value)]}


def test_indicator_page_and_api_without_a_year_show_this_year(client, general_office_reviewer):
    client.force_login(general_office_reviewer)
    year = timezone.localdate().year
    assert client.get(reverse("oversight:indicators")).context["year"] == year
    assert client.get("/api/v1/oversight/indicators/").json()["year"] == year


@pytest.mark.parametrize("value", ["²", "1999", "99999999999999999999", ""])
def test_ensuring_a_bad_year_creates_nothing_and_says_why(client, general_office_reviewer, value):
    client.force_login(general_office_reviewer)
    before = Indicator.objects.count()
    response = client.post(reverse("oversight:indicators-ensure"), {"year": value}, follow=True)
    assert response.status_code == 200
    assert _year_message(value) in response.content.decode()
    assert Indicator.objects.count() == before
