"""Reporting periods: 周报 Monday–Sunday, 旬报 1–10 / 11–20 / 21–end of month, 月报 1–end."""

from __future__ import annotations

import calendar
import datetime as dt


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period (weekly, ten_day, monthly) that holds `day`."""
    if period == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    if period == "ten_day":
        if day.day <= 10:
            return day.replace(day=1), day.replace(day=10)
        if day.day <= 20:
            return day.replace(day=11), day.replace(day=20)
        return day.replace(day=21), day.replace(day=last)
    if period == "monthly":
        return day.replace(day=1), day.replace(day=last)
    raise ValueError(f"unknown report period: {period!r}")
