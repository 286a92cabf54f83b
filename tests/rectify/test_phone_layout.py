"""The shared layout at 1366×768 and 390×844, measured in Chromium: the menu drops down
full-width below the header, ledger status badges are never cut off, and the menu names
智能排查 as its page does."""

from __future__ import annotations

import pytest
from django.utils import timezone

from leads import services as lead_services
from leads.models import Channel, LeadCategory
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [(1366, 768), (390, 844)]


@pytest.fixture(params=VIEWPORTS, ids=["desktop", "phone"])
def sized_page(request, browser, live_server):
    width, height = request.param
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_it_drops_the_menu_down_full_width_below_the_header_on_a_phone(org, sized_page):
    page = sized_page
    login(page, "office_a")
    width = page.viewport_size["width"]
    brand = _box(page, ".brand")
    toggle = page.locator(".nav-toggle-label")
    if width >= 760:
        # Desktop: no ☰, the menu sits in the header row next to the brand.
        assert not toggle.is_visible()
        nav = _box(page, "nav.mainnav")
        assert nav["x"] >= brand["x"] + brand["width"]
        assert abs(nav["y"] - brand["y"]) < brand["height"]
    else:
        assert not page.locator("nav.mainnav").is_visible()
        toggle.click()
        nav = _box(page, "nav.mainnav")
        button = _box(page, ".nav-toggle-label")
        # Below the brand and the ☰ button, not beside them ...
        assert nav["y"] >= max(brand["y"] + brand["height"], button["y"] + button["height"]) - 1
        # ... and as wide as the header (less its padding).
        header = _box(page, "header.topbar")
        assert nav["width"] >= header["width"] - 40
        assert nav["x"] <= header["x"] + 20
        links = page.locator("nav.mainnav a")
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box["width"] >= header["width"] - 40  # full-width touch targets
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    page.screenshot(path=f"/tmp/rectify-menu-{width}.png")


def test_it_names_the_screening_page_the_same_in_the_menu_and_its_title(org, sized_page):
    page = sized_page
    login(page, "office_a")
    if page.locator(".nav-toggle-label").is_visible():
        page.locator(".nav-toggle-label").click()
    link = page.locator("nav.mainnav a[href='/leads/screening/']")
    label = link.inner_text().strip()
    link.click()
    page.wait_for_url("**/leads/screening/")
    assert label == "智能排查"
    assert page.locator("h1").inner_text().strip() == label
    assert page.title().startswith(label)


def test_it_shows_ledger_status_badges_whole(org, sized_page):
    hotline = Channel.objects.get(code="hotline")
    today = timezone.localdate()
    for i in range(4):
        lead = lead_services.lead_register(
            office=org.office_a,
            actor=org.intake,
            received_date=today,
            channel=hotline,
            category=LeadCategory.INTERFERENCE,
            summary=f"反映某干警过问他人案件{i}",
        )
        if i % 2 == 0:
            lead_services.lead_transfer(
                lead=lead, actor=org.office_staff, body="区纪委监委", date=today
            )
    page = sized_page
    login(page, "office_a")
    page.goto("/leads/")
    page.locator("#ledger").scroll_into_view_if_needed()
    measured = page.evaluate(
        """() => {
          const wrap = document.querySelector('#ledger').closest('.table-wrap');
          const w = wrap.getBoundingClientRect();
          return {
            wrap: [w.left, w.right, wrap.clientWidth],
            table: document.querySelector('#ledger').scrollWidth,
            badges: [...document.querySelectorAll('#ledger td .badge')].map(b => {
              const r = b.getBoundingClientRect();
              return {text: b.textContent.trim(), left: r.left, right: r.right,
                      cut: b.scrollWidth > b.clientWidth + 1};
            }),
          };
        }"""
    )
    left, right, inner = measured["wrap"]
    texts = [b["text"] for b in measured["badges"]]
    assert "已移交纪委监委" in texts
    # The table fits its frame (nothing hidden behind a horizontal scroll) ...
    assert measured["table"] <= inner + 1
    # ... and every badge lies whole inside it.
    for badge in measured["badges"]:
        assert left - 1 <= badge["left"] and badge["right"] <= right + 1, badge
        assert not badge["cut"], badge
    width = page.viewport_size["width"]
    page.screenshot(path=f"/tmp/rectify-ledger-badges-{width}.png", full_page=True)
