"""并入此线索 from the duplicate panel in a browser (1366×768 and 390×844): the online report
is labelled 未登记, one click with a confirmation merges it, and the main lead lists it with
its reporter's message."""

from __future__ import annotations

import os

import pytest

from leads import services
from leads.models import Lead, LeadCategory, LeadStatus
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    # clientWidth, not innerWidth: on a phone the layout viewport grows with the content.
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return page.evaluate(width) <= 0


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l3_merge_an_online_report_from_the_panel(org, register, viewport, request):
    os.makedirs(SHOTS, exist_ok=True)
    page = request.getfixturevalue(viewport)
    main = register(summary="反映甲区法院张三多次过问其亲属涉诉案件，要求承办法官关照")
    dup, _code = services.public_report_submit(
        office=org.office_a,
        category=LeadCategory.INTERFERENCE,
        summary="甲区法院张三多次过问亲属的案件，要求法官关照",
    )
    services.reporter_message(lead=dup, text="补充：事情发生在今年三月")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    login(page, "intake_a")
    page.goto(f"/leads/{main.pk}/")
    panel = page.locator("#similar-leads")
    assert "未登记" in panel.inner_text() and "None" not in panel.inner_text()
    page.goto(f"/leads/{dup.pk}/")
    assert main.number in page.locator("#similar-leads").inner_text()
    assert _no_overflow(page)
    with page.expect_navigation():
        page.locator("#similar-leads").get_by_role("button", name="并入此线索").click()
    assert dialogs and main.number in dialogs[0]
    assert Lead.objects.get(pk=dup.pk).status == LeadStatus.MERGED
    page.goto(f"/leads/{main.pk}/")
    merged = page.locator("#merged-leads").inner_text()
    assert "未登记网上举报" in merged and "补充：事情发生在今年三月" in merged
    assert _no_overflow(page)
    page.screenshot(path=f"{SHOTS}/merged-{viewport}.png", full_page=True)
