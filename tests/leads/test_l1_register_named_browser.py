"""Issue 10 in a real browser: intake registers a named online report without revealing the
reporter (the name and contact are carried over, never shown), at 1366×768 and on a phone
(390×844); nothing is revealed and the reporter stays stored."""

from __future__ import annotations

import os

import pytest

from leads import services
from leads.models import Lead, LeadStatus
from rectify.models import AuditEvent
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def _named_report(org, name: str) -> Lead:
    lead, _code = services.public_report_submit(
        office=org.office_a,
        category="interference",
        summary="实名反映：某派出所民警多次为他人违规打听案情，并收受财物",
        subject_text="路人丙",
        reporter_name=name,
        reporter_contact="13900000000",
    )
    return lead


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_l1_register_a_named_online_report_without_revealing(org, page, phone_page, viewport):
    os.makedirs(SHOTS, exist_ok=True)
    tab = page if viewport == "desktop" else phone_page
    lead = _named_report(org, "钱实名")
    login(tab, "intake_a")
    tab.goto(f"/leads/{lead.pk}/register/")
    assert tab.locator("input[name=reporter_name]").count() == 0
    assert tab.locator("input[name=reporter_contact]").count() == 0
    kept = tab.locator("#reporter-kept").inner_text()
    assert "实名" in kept and "钱实名" not in tab.content()
    assert _no_overflow(tab)
    tab.screenshot(path=f"{SHOTS}/register-named-{viewport}.png", full_page=True)
    tab.fill("#id_summary", "反映某派出所民警违规打听案情、收受财物（登记摘要）")
    with tab.expect_navigation():
        tab.click("#register-form button[type=submit]")
    assert "线索已登记" in tab.locator(".msg-success").inner_text()
    assert "实名（保密）" in tab.locator("#reporter").inner_text()
    assert "钱实名" not in tab.content()
    assert _no_overflow(tab)
    tab.screenshot(path=f"{SHOTS}/registered-named-{viewport}.png", full_page=True)
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.status == LeadStatus.REGISTERED and not lead.reporter_anonymous
    assert lead.reporter_name == "钱实名"
    assert not AuditEvent.objects.filter(action="leads.lead.reporter_revealed").exists()


def test_l1_queue_shows_subjects_to_confirm_and_rules_one_out_on_a_phone(org, phone_page):
    from tests.factories import OfficerFactory

    namesake = OfficerFactory(unit=org.court_a, name="路人丙")
    lead = _named_report(org, "孙实名")
    login(phone_page, "intake_a")
    phone_page.goto("/leads/intake/")
    box = phone_page.locator(f".ld-candidates[data-lead='{lead.pk}']")
    assert "被反映人待确认" in box.inner_text()
    assert namesake.number in box.inner_text()
    assert _no_overflow(phone_page)
    phone_page.screenshot(path=f"{SHOTS}/intake-candidates-phone.png", full_page=True)
    with phone_page.expect_navigation():
        box.locator("button[value=rule_out]").click()
    assert "已排除同名干警" in phone_page.locator(".msg-success").inner_text()
    assert phone_page.locator(f".ld-candidates[data-lead='{lead.pk}']").count() == 0
