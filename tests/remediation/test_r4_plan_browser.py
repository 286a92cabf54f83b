"""The office creates a plan and an item in a real browser, at desktop and phone size."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from remediation.models import Item, Plan
from tests.conftest import login

SHOTS = "/tmp/shots/RA"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_r4_office_creates_plan_and_item_in_browser(org, browser, live_server, size):
    os.makedirs(SHOTS, exist_ok=True)
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    tag = f"{width}x{height}"
    today = timezone.localdate()
    login(page, "office_a")
    page.goto("/remediation/plans/")
    _submit(page, "#btn-new-plan")
    page.select_option("#id_unit", str(org.police_a.pk))
    page.select_option("#id_problem", "interference")
    page.fill("#id_title", "甲区公安分局“三个规定”整治方案")
    page.fill("#id_goal", "杜绝违规过问、干预司法")
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + dt.timedelta(days=60)).isoformat())
    page.screenshot(path=f"{SHOTS}/plan_form_{tag}.png", full_page=True)
    _no_sideways_scroll(page)
    _submit(page, "#btn-save-plan")
    plan = Plan.objects.get()
    assert page.url.endswith(f"/remediation/plans/{plan.pk}/")
    _submit(page, "#btn-new-item")
    page.fill("#id_description", "个别民警违规打听案情")
    page.select_option("#id_kind", "typical")
    page.check("#id_is_hotspot")
    page.fill("#id_cause_discipline", "纪律观念淡薄")
    page.fill("#id_deadline", (today + dt.timedelta(days=30)).isoformat())
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/item_form_{tag}.png", full_page=True)
    _submit(page, "#btn-save-item")
    item = Item.objects.get()
    assert page.inner_text("#item-number") == item.number
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/item_detail_{tag}.png", full_page=True)
    page.goto("/remediation/")
    assert item.number in page.inner_text("#items")
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/ledger_{tag}.png", full_page=True)
    context.close()
