"""The unit tree opens without JavaScript: each "+" is a plain GET to ?open=<id>."""

from __future__ import annotations

import pytest

from tests.conftest import login


def test_it_expands_the_unit_tree_branch_without_javascript(
    org, client, django_assert_max_num_queries
):
    client.force_login(org.admin)
    page = client.get("/org/units/").content.decode()
    # The province is closed: a GET form opens it (htmx enhances the same button).
    assert f'name="open" value="{org.province.pk}"' in page
    assert "甲区法院" not in page

    with django_assert_max_num_queries(12):
        page = client.get(f"/org/units/?open={org.district_a.pk}").content.decode()
    # The whole branch down to 甲区 is open and 甲区's children are listed ...
    for unit in (org.province, org.city, org.district_a):
        assert f'id="unit-{unit.pk}"' in page
    assert "甲区法院" in page and "甲区公安分局" in page
    # ... siblings stay closed, and each open unit offers "−" back to its parent.
    assert "乙区法院" not in page
    assert f'href="/org/units/?open={org.city.pk}#unit-{org.district_a.pk}"' in page


def test_it_ignores_a_garbage_or_invisible_open_parameter(org, client):
    client.force_login(org.unit_head.user)  # sees 甲区公安分局 and below only
    page = client.get("/org/units/", {"open": org.station_a1.pk}).content.decode()
    assert "甲区一派出所" in page  # a visible unit opens its branch ...
    for value in ("abc", "-1", "9" * 30, str(org.district_b.pk)):
        response = client.get("/org/units/", {"open": value})
        assert response.status_code == 200  # ... garbage and invisible ids open nothing
        body = response.content.decode()
        assert "乙区" not in body and "甲区一派出所" not in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_it_opens_the_unit_tree_in_a_browser_without_javascript(
    org, browser, live_server, viewport
):
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        java_script_enabled=False,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, "admin")
        page.goto("/org/units/")
        page.locator(f"#unit-{org.province.pk} .tree-toggle").first.click()
        page.locator(f"#unit-{org.city.pk} .tree-toggle").first.click()
        page.locator(f"#unit-{org.district_a.pk} .tree-toggle").first.click()
        assert page.locator(f"#unit-{org.court_a.pk}").is_visible()
        assert "甲区法院" in page.locator(f"#unit-{org.district_a.pk}").inner_text()
        page.screenshot(path=f"/tmp/rectify-unit-tree-nojs-{viewport[0]}.png")
    finally:
        context.close()
