import datetime

import pytest

from oversight.periods import PeriodError, parse_period, previous_month


@pytest.mark.parametrize(
    ("value", "start", "end", "label"),
    [
        ("2026-03", (2026, 3, 1), (2026, 3, 31), "2026年3月"),
        ("2026-02", (2026, 2, 1), (2026, 2, 28), "2026年2月"),
        ("2026Q1", (2026, 1, 1), (2026, 3, 31), "2026年第一季度"),
        ("2026q4", (2026, 10, 1), (2026, 12, 31), "2026年第四季度"),
        ("2026H1", (2026, 1, 1), (2026, 6, 30), "2026年上半年"),
        ("2026H2", (2026, 7, 1), (2026, 12, 31), "2026年下半年"),
        ("2026", (2026, 1, 1), (2026, 12, 31), "2026年度"),
    ],
)
def test_parse_period(value, start, end, label):
    period = parse_period(value)
    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))
    assert period.label == label


@pytest.mark.parametrize("value", ["", "2026-13", "2026Q5", "2026H3", "26", "2026-3", "abc", "1800"])
def test_bad_periods_are_rejected(value):
    with pytest.raises(PeriodError):
        parse_period(value)


def test_previous_month_crosses_the_year():
    assert previous_month(datetime.date(2027, 1, 1)).key == "2026-12"
    assert previous_month(datetime.date(2026, 3, 31)).key == "2026-02"


def test_months_of_a_quarter():
    assert [m.key for m in parse_period("2026Q2").months()] == ["2026-04", "2026-05", "2026-06"]
