"""The foundation in a real browser (Debian's chromium through Playwright)."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_the_chinese_home_page(org, page):
    login(page, "officer_a")
    assert page.url.endswith("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "您好" in page.locator("h1").inner_text()
    assert page.locator("nav.mainnav").get_by_text("首页").is_visible()
    page.screenshot(path="/tmp/rectify-home-officer.png")


def test_officer_home_fits_a_phone(org, phone_page):
    login(phone_page, "officer_a")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert "您好" in phone_page.locator("h1").inner_text()


def test_admin_sees_the_unit_tree_and_expands_it(org, page):
    login(page, "admin")
    page.goto("/org/units/")
    assert page.locator("h1").inner_text() == "单位树"
    root = page.locator(f"#unit-{org.province.pk}")
    assert "测试省" in root.inner_text()
    root.locator("button").first.click()
    page.locator(f"#unit-{org.city.pk}").wait_for()
    page.locator(f"#unit-{org.city.pk} button").first.click()
    page.locator(f"#unit-{org.district_a.pk}").wait_for()
    assert "甲区" in page.locator(f"#unit-{org.district_a.pk}").inner_text()
    page.screenshot(path="/tmp/rectify-unit-tree.png")


def test_wrong_password_shows_an_error_in_chinese(org, page):
    login(page, "officer_a", password="not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").is_visible()


def test_it_shows_the_browsers_own_messages_in_chinese(org, page):
    """The browser's validation bubble for a required field left empty is Chinese too (issue
    10: locale zh-CN plus the process language and Debian's chromium-l10n)."""
    page.goto("/accounts/login/")
    message = page.evaluate("document.querySelector('#id_username').validationMessage")
    assert message == "请填写此字段。"
