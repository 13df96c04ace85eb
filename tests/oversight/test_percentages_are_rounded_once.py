"""Percentages on the oversight pages, in the bulletin and on the chart are the exact rate rounded once, half up
(四舍五入), to one decimal: what a reviewer gets recounting by hand. The rates were first rounded to 4 places, so
14/17 (82.35…%) showed as 82.3% and 1/16 (6.25%) as 6.2%."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.selectors import Figures, PublicationFigures, percent_text
from oversight.templatetags.oversight import pct


@pytest.mark.parametrize(
    ("figures", "on_time", "submitted"),
    [
        (Figures(due=22, on_time=11, late=3, overdue=3, pending=5), "64.7%", "82.4%"),
        (Figures(due=59, on_time=40, late=10, overdue=9), "67.8%", "84.7%"),
        (Figures(due=16, on_time=1, late=0, overdue=15), "6.3%", "6.3%"),
        (Figures(due=8, on_time=1, late=0, overdue=7), "12.5%", "12.5%"),
        (Figures(due=3, pending=3), "—", "—"),
    ],
)
def test_the_page_shows_the_exact_rate_rounded_half_up(figures, on_time, submitted):
    assert (pct(figures.on_time_rate), pct(figures.submission_rate)) == (on_time, submitted)


def test_publication_late_rate_is_rounded_once_too():
    assert pct(PublicationFigures(published_on_time=3, published_late=14).late_rate) == "82.4%"


@given(st.integers(min_value=1, max_value=400).flatmap(lambda b: st.tuples(st.integers(0, b), st.just(b))))
def test_every_fraction_shows_as_its_hand_rounded_percentage(fraction):
    part, whole = fraction
    # By hand, in integers: tenths of a percent, half up.
    tenths = (part * 1000 * 2 + whole) // (2 * whole)
    assert percent_text(part / whole) == f"{tenths // 10}.{tenths % 10}%"
