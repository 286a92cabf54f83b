"""Report periods (周报, 旬报, 月报) as pure date arithmetic, shared by the dashboard's
ranking (the change since the period began) and the periodic report (统计期间)."""

from __future__ import annotations

import calendar
import datetime as dt

WEEKLY = "weekly"
TEN_DAY = "ten_day"
MONTHLY = "monthly"


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The report period containing `day`, as (first day, last day), both inclusive.

    weekly: Monday to Sunday; ten_day (旬): the 1st–10th, 11th–20th, 21st–end of month;
    monthly: the calendar month. An unknown period raises ValueError."""
    if period == WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    if period == TEN_DAY:
        if day.day <= 10:
            return day.replace(day=1), day.replace(day=10)
        if day.day <= 20:
            return day.replace(day=11), day.replace(day=20)
        return day.replace(day=21), day.replace(day=last)
    if period == MONTHLY:
        return day.replace(day=1), day.replace(day=last)
    raise ValueError(f"unknown report period: {period!r}")


def previous_period(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period before the one containing `day`."""
    start, _end = period_bounds(period, day)
    return period_bounds(period, start - dt.timedelta(days=1))
