"""O7: the report periods (周报, 旬报, 月报) the ranking and the report share."""

import datetime as dt

import pytest

from leadership.selectors.periods import period_bounds, previous_period

D = dt.date


@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        ("weekly", D(2026, 12, 2), (D(2026, 11, 30), D(2026, 12, 6))),  # a Wednesday
        ("weekly", D(2026, 11, 30), (D(2026, 11, 30), D(2026, 12, 6))),  # Monday
        ("weekly", D(2026, 12, 6), (D(2026, 11, 30), D(2026, 12, 6))),  # Sunday
        ("weekly", D(2026, 1, 1), (D(2025, 12, 29), D(2026, 1, 4))),  # across a year
        ("ten_day", D(2026, 2, 1), (D(2026, 2, 1), D(2026, 2, 10))),
        ("ten_day", D(2026, 2, 10), (D(2026, 2, 1), D(2026, 2, 10))),
        ("ten_day", D(2026, 2, 11), (D(2026, 2, 11), D(2026, 2, 20))),
        ("ten_day", D(2026, 2, 21), (D(2026, 2, 21), D(2026, 2, 28))),  # 下旬 of February
        ("ten_day", D(2024, 2, 29), (D(2024, 2, 21), D(2024, 2, 29))),  # leap year
        ("ten_day", D(2026, 1, 31), (D(2026, 1, 21), D(2026, 1, 31))),
        ("monthly", D(2026, 12, 2), (D(2026, 12, 1), D(2026, 12, 31))),
        ("monthly", D(2026, 4, 30), (D(2026, 4, 1), D(2026, 4, 30))),
    ],
)
def test_o7_period_bounds(period, day, bounds):
    assert period_bounds(period, day) == bounds


def test_o7_period_bounds_every_day_inside_its_period():
    day = D(2026, 1, 1)
    for _ in range(400):
        for period in ("weekly", "ten_day", "monthly"):
            start, end = period_bounds(period, day)
            assert start <= day <= end
            assert period_bounds(period, start) == period_bounds(period, end) == (start, end)
            assert previous_period(period, day)[1] == start - dt.timedelta(days=1)
        day += dt.timedelta(days=1)


def test_o7_period_bounds_unknown_period():
    with pytest.raises(ValueError):
        period_bounds("yearly", D(2026, 1, 1))
