"""Fixtures for the self-check tests (on top of the shared `org` cast)."""

from __future__ import annotations

import pytest

from rectify.models import ChronicProblem
from selfcheck import services

VALID_USCC = "91350100M000100Y43"


def post_data(*, yes: tuple[str, ...] = (), business=(), lending=(), extra=None) -> dict:
    """Form POST data: every fixed item answered, "yes" (with details) on `yes`."""
    data = {}
    for value in ChronicProblem.values:
        data[f"item-{value}-yes"] = "yes" if value in yes else "no"
        if value in yes:
            data[f"item-{value}-details"] = f"关于{value}的具体情况"
    for i, row in enumerate(business, start=1):
        for k, v in row.items():
            data[f"biz-{i}-{k}"] = v
    for i, row in enumerate(lending, start=1):
        for k, v in row.items():
            data[f"lend-{i}-{k}"] = v
    data.update(extra or {})
    return data


BIZ_ROW = {
    "relation": "spouse",
    "name": "王芳",
    "enterprise": "秦皇岛某某贸易有限公司",
    "uscc": VALID_USCC,
    "role": "股东",
    "shareholding": "30%",
    "period": "2019—至今",
}


class FakePost(dict):
    def get(self, key, default=None):
        return super().get(key, default)


def draft_of(officer, campaign, **kwargs) -> dict:
    items = services.form_items(officer=officer, campaign=campaign)
    return services.draft_from_post(FakePost(post_data(**kwargs)), items)


def submit(officer, campaign, **kwargs):
    report = services.report_for_officer(officer=officer, campaign=campaign)
    return services.report_submit(
        report=report, draft=draft_of(officer, campaign, **kwargs), actor=officer.user
    )


@pytest.fixture
def submitted_a(org):
    """officer_a's report, submitted once, with a business declaration."""
    return submit(
        org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW]
    ).report
