"""The issue's journey in a real browser: an anonymous report on the public page → intake
registers and triages it → the handler works it and concludes 查否 → handler and unit head
sign it off → the ledger shows it crossed off and the closure rate changed → the reporter
reads the status with the receipt code."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from leads.models import Lead, LeadStatus, Signature
from tests.conftest import login

SHOTS = "/tmp/leads-shots"


def _submit(page, selector: str) -> None:
    # Wait for the navigation the click starts, not for the page that is already loaded.
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_l1_l4_l5_l9_journey_public_report_to_crossed_off_and_reporter_status(
    org, browser, live_server, page
):
    os.makedirs(SHOTS, exist_ok=True)
    page.on("dialog", lambda d: d.accept())

    # 1. Anyone, on a phone, without an account: the public page (works without JavaScript).
    reporter_ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        locale="zh-CN",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    reporter = reporter_ctx.new_page()
    reporter.set_default_timeout(15000)
    reporter.goto("/accounts/login/")
    _submit(reporter, "#public-links >> text=我要举报")
    reporter.select_option("#id_office", label=str(org.office_a))
    reporter.select_option("#id_category", "interference")
    reporter.fill("#id_subject", "张三")
    reporter.fill("#id_subject_unit", "甲区法院")
    reporter.fill(
        "#id_summary", "甲区法院张三多次打听并过问其亲属涉诉案件的办理进展，要求承办法官关照。"
    )
    _submit(reporter, "#public-report button[type=submit]")
    code = reporter.locator("#receipt-code").inner_text().strip()
    assert len(code.replace("-", "")) == 20
    reporter.screenshot(path=f"{SHOTS}/1-receipt.png", full_page=True)
    lead = Lead.objects.get()
    assert lead.status == LeadStatus.UNREGISTERED and lead.number is None

    # 2. Intake registers it from the queue, then triages it to the police bureau.
    login(page, "intake_a")
    page.goto("/leads/intake/")
    _submit(page, '#intake a:text-is("登记")')
    assert page.locator("#id_subjects").input_value() == "张三"
    _submit(page, "#register-form button[type=submit]")
    lead.refresh_from_db()
    assert lead.number == f"甲区-{timezone.localdate().year}-0001"
    assert lead.subjects.get().officer == org.officer_a  # matched against the register
    page.select_option("#assign-route", "verification")
    page.select_option("#assign-unit", label="甲区公安分局")
    page.fill("#assign-handler", "A100")
    page.fill("#assign-deadline", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    _submit(page, "#assign-form button[type=submit]")
    assert "办理中" in page.locator("h1").inner_text()
    page.goto("/leads/")
    assert page.locator("#closure-rate").inner_text() == "0.0%"

    # 3. The handler works it: a verification note, then an unfounded conclusion; signs.
    handler = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    ).new_page()
    handler.set_default_timeout(15000)
    handler.on("dialog", lambda d: d.accept())
    login(handler, "handler_a")
    handler.goto("/leads/mine/")
    _submit(handler, f"#mine >> text={lead.number}")
    handler.select_option("#event-kind", "verification")
    handler.fill("#event-text", "调阅案件卷宗，询问承办法官，未发现过问情况。")
    _submit(handler, "form:has(#event-text) button[type=submit]")
    assert "调阅案件卷宗" in handler.locator("#timeline").inner_text()
    handler.select_option("#conclude-conclusion", "unfounded")
    handler.fill("#conclude-result", "经核查，反映张三过问案件的问题不属实。")
    _submit(handler, "#conclude-form button[type=submit]")
    assert "查否待签字" in handler.locator("h1").inner_text()
    _submit(handler, "#sign-handler button")
    assert Signature.objects.filter(lead=lead, role="handler").count() == 1
    assert handler.locator("#sign-head").count() == 0  # the handler cannot sign the head's part

    # 4. The unit head signs from "my work"; the conclusion takes effect and is archived.
    head = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    ).new_page()
    head.set_default_timeout(15000)
    head.on("dialog", lambda d: d.accept())
    login(head, "head_a")
    head.goto("/leads/mine/")
    _submit(head, f"#to-sign >> text={lead.number}")
    _submit(head, "#sign-head button")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED and lead.archived_at is not None
    assert "已归档" in head.locator("h1").inner_text()

    # 5. Intake replies to the reporter, crosses it off; the ledger shows it.
    page.goto(f"/leads/{lead.pk}/")
    page.fill("#reply-text", "经核查，您反映的问题不属实，已依规办结。感谢您的监督。")
    _submit(page, "form:has(#reply-text) button[type=submit]")
    _submit(page, "#cross-off button")
    page.goto("/leads/")
    row = page.locator("#ledger tbody tr", has_text=lead.number)
    assert "已销号" in row.inner_text()
    assert page.locator("#closure-rate").inner_text() == "100.0%"
    page.screenshot(path=f"{SHOTS}/2-ledger.png", full_page=True)
    page.goto(f"/leads/{lead.pk}/archive/")
    sheet = page.locator("body").inner_text()
    assert "孙承办" in sheet and "周局长" in sheet and "查否" in sheet

    # 6. The reporter reads the status with the code: the reply, not the handler's name.
    reporter.goto("/leads/report/status/")
    reporter.fill("#id_code", code.lower().replace("-", " "))
    _submit(reporter, "#status-form button[type=submit]")
    status = reporter.locator("#public-status").inner_text()
    assert "已办结" in status and "已依规办结" in status
    assert "孙承办" not in status and "调阅案件卷宗" not in status
    reporter.select_option("#id_rating", "5")
    _submit(reporter, "form:has(#id_rating) button[type=submit]")
    reporter.screenshot(path=f"{SHOTS}/3-status.png", full_page=True)
    lead.refresh_from_db()
    assert lead.reporter_rating == 5
    reporter_ctx.close()
