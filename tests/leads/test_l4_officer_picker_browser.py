"""The officer picker in a real browser: type part of a name, pick from the list, submit
(at 1366×768 and on a 390×844 phone, without horizontal scrolling)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from leads.models import Lead
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    # clientWidth, not innerWidth: on a phone the layout viewport grows with the content.
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return page.evaluate(width) <= 0


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l4_handler_is_picked_by_name_from_the_scoped_list(org, register, viewport, request):
    os.makedirs(SHOTS, exist_ok=True)
    browser_page = request.getfixturevalue(viewport)
    lead = register()
    browser_page.on("dialog", lambda dialog: dialog.accept())
    login(browser_page, "office_a")
    browser_page.goto(f"/leads/{lead.pk}/")
    browser_page.select_option("#assign-unit", str(org.police_a.pk))
    browser_page.locator("#assign-handler").press_sequentially("孙")
    option = browser_page.locator("#assign-handler-results .officer-picker-option")
    option.first.wait_for()
    assert "孙承办 · A100 · 甲区公安分局" in option.first.inner_text()
    browser_page.locator("#assign-handler").fill("王")  # other district: never listed
    browser_page.locator("#assign-handler-results").get_by_text("没有匹配的干警").wait_for()
    browser_page.locator("#assign-handler").fill("")
    browser_page.locator("#assign-handler").press_sequentially("A10")
    # The pick refreshes the conflict hint as a typed change would (officer-picked event).
    with browser_page.expect_request(lambda r: "/assign/conflicts/?handler=A100" in r.url):
        browser_page.locator("#assign-handler-results").get_by_text("孙承办").click()
    browser_page.locator("#assign-handler-chosen").get_by_text("已选：孙承办").wait_for()
    assert browser_page.locator("#assign-handler").input_value() == "A100"
    assert _no_overflow(browser_page)
    browser_page.screenshot(path=f"{SHOTS}/picker-{viewport}.png", full_page=True)
    deadline = timezone.localdate() + dt.timedelta(days=20)
    browser_page.fill("#assign-deadline", deadline.isoformat())
    with browser_page.expect_navigation():
        browser_page.click("#assign-form button[type=submit]")
    assert Lead.objects.get(pk=lead.pk).handler == org.handler
