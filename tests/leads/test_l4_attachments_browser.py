"""Attachments and the handler-conflict hint in a real browser: at 1366×768 with htmx, and on
a phone; the public report with a file and JavaScript off."""

from __future__ import annotations

import os

import pytest

from leads.models import Lead, LeadAttachment, LeadStatus
from tests.conftest import login

SHOTS = "/tmp/leads-shots"
PDF = b"%PDF-1.4\n%%EOF\n"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_l4_conflict_hint_and_attachments_on_the_lead_page(org, register, page, phone_page):
    os.makedirs(SHOTS, exist_ok=True)
    page.on("dialog", lambda d: d.accept())
    lead = register(summary="反映李四过问他人案件", subjects=[org.officer_a2])
    login(page, "office_a")
    page.goto(f"/leads/{lead.pk}/")

    # upload two files, one of them with a Chinese name
    page.set_input_files(
        "#id_files",
        [
            {"name": "举报材料.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "说明.txt", "mimeType": "text/plain", "buffer": "情况说明".encode()},
        ],
    )
    _submit(page, "#attachment-form button[type=submit]")
    assert page.locator("#attachments li").count() == 2
    assert page.locator("#attachments").get_by_text("举报材料.pdf").is_visible()

    # the hint appears as soon as the handler number is entered (htmx), before submitting
    page.select_option("#assign-unit", label="甲区公安分局")
    page.fill("#assign-deadline", "2099-01-01")
    page.fill("#assign-handler", "A100")
    page.locator("#assign-handler").dispatch_event("change")
    page.wait_for_selector("#assign-conflict-list")
    assert "同属甲区公安分局" in page.inner_text("#assign-conflict-list")
    page.screenshot(path=f"{SHOTS}/attachments-desktop.png", full_page=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    page.fill("#assign-override-reason", "全局仅此一名承办人，已报批")
    _submit(page, "#assign-form button[type=submit]")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.handler == org.handler
    assert "全局仅此一名承办人" in page.inner_text("#timeline")

    # on a phone: the list and the download link fit
    login(phone_page, "office_a")
    phone_page.goto(f"/leads/{lead.pk}/")
    phone_page.locator("#attachments").scroll_into_view_if_needed()
    phone_page.screenshot(path=f"{SHOTS}/attachments-phone.png", full_page=True)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    with phone_page.expect_download() as info:
        phone_page.click("#attachments >> text=举报材料.pdf")
    assert info.value.suggested_filename == "举报材料.pdf"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_l1_public_report_with_a_file_without_javascript(org, browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        locale="zh-CN",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/leads/report/")
    page.select_option("#id_office", label=org.office_a.name)
    page.select_option("#id_category", "umbrella")
    page.fill("#id_summary", "钱某长期为某涉黑团伙通风报信，收受好处费")
    page.set_input_files(
        "#id_attachment", {"name": "照片.png", "mimeType": "image/png", "buffer": PNG}
    )
    _submit(page, "#public-report button[type=submit]")
    assert page.locator("#receipt-code").is_visible()
    lead = Lead.objects.get()
    assert LeadAttachment.objects.get(lead=lead).name == "举报材料.png"
    context.close()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
