"""R5/R6 in a real browser: the unit submits, acceptance is refused naming the missing
conditions, an accountability record is added, the office accepts; escalation shows the
link both ways. Desktop 1366×768 and phone 390×844 without sideways scroll."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from remediation.models import Accountability, ItemStatus
from tests.conftest import login

from .closure_helpers import make_ready

SHOTS = "/tmp/shots/RB"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_r5_r6_closure_journey_in_browser(org, page, phone_page):
    os.makedirs(SHOTS, exist_ok=True)
    item = make_ready(org.station_a1, org.unit_head.user, dealt=False, public=False, submit=False)
    url = reverse("remediation:item_detail", args=[item.pk])

    # The unit head, on a phone: submits for acceptance.
    login(phone_page, "head_a")
    phone_page.goto(url)
    phone_page.fill("#cl-submit-note", "已建立执法台账，完成整改")
    _submit(phone_page, "#submit-form button")
    assert "已提请验收" in phone_page.content()
    phone_page.screenshot(path=f"{SHOTS}/unit-submitted-390.png", full_page=True)
    _no_sideways_scroll(phone_page)

    # The office: the accept button is disabled and names the two missing conditions.
    login(page, "office_a")
    page.goto(url)
    missing = page.inner_text("#missing-conditions")
    assert "群众不满意不放过" in missing and "责任人未处理不放过" in missing
    assert page.is_disabled("#accept-form button")
    page.screenshot(path=f"{SHOTS}/office-blocked-1366.png", full_page=True)

    # An accountability record; then the chief waives the survey with a reason.
    page.click("text=登记问责记录")
    page.fill("#cl-acc-person_name", "王某")
    page.select_option("#cl-acc-level", "direct")
    page.select_option("#cl-acc-disposition", "first")
    page.fill("#cl-acc-detail", "批评教育")
    _submit(page, "#accountability-form button")
    assert Accountability.objects.filter(item=item).count() == 1
    phone_page.context.clear_cookies()
    login(phone_page, "chief")
    phone_page.goto(url)
    phone_page.click("text=免于群众验收（领导）")
    phone_page.fill("#cl-waive-reason", "涉及个人隐私，不宜发放验收问卷")
    _submit(phone_page, "#waive-form button")
    phone_page.screenshot(path=f"{SHOTS}/leader-waived-390.png", full_page=True)
    _no_sideways_scroll(phone_page)

    page.goto(url)
    assert "三个条件均已满足" in page.content()
    _submit(page, "#accept-form button")
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED
    page.screenshot(path=f"{SHOTS}/office-accepted-1366.png", full_page=True)

    # Escalation: the unit head escalates another item; both pages link each other.
    other = make_ready(org.station_a1, org.unit_head.user, submit=False)
    other_url = reverse("remediation:item_detail", args=[other.pk])
    phone_page.context.clear_cookies()
    login(phone_page, "head_a")
    phone_page.goto(other_url)
    phone_page.click("text=上报甲区公安分局")
    phone_page.fill("#escalate-form textarea", "执法标准由分局制定，根子在上面")
    _submit(phone_page, "#escalate-form button")
    assert "已上报上级" in phone_page.inner_text("#escalated-to")
    phone_page.screenshot(path=f"{SHOTS}/escalated-390.png", full_page=True)
    _no_sideways_scroll(phone_page)
    with phone_page.expect_navigation():
        phone_page.click("#escalated-to a")
    assert "下级上报" in phone_page.inner_text("#escalated-from")
    page.goto(other_url)
    missing = page.inner_text("#missing-conditions")
    assert "上级问题未验收" in missing
    page.screenshot(path=f"{SHOTS}/lower-waits-1366.png", full_page=True)
