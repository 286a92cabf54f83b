"""Rules, rotations and meetings in a real browser, at 1366×768 and on a 390px phone."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from leads.models import Lead
from remediation.models import Meeting, RemediationPolicy, Rotation, Rule
from tests.conftest import login
from tests.factories import outputs_item

SHOTS = "/tmp/shots/RD"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_r7_r8_o3_office_records_rule_rotation_and_meeting(org, page, phone_page):
    os.makedirs(SHOTS, exist_ok=True)
    RemediationPolicy.objects.create(campaign=org.campaign, sensitive_posts="院长")
    item = outputs_item(org.court_a, "ZZ-A-100")
    lead = Lead.objects.create(
        number="甲区-2026-100", office=org.office_a, summary="反映问题", category="interference"
    )
    today = timezone.localdate().isoformat()
    login(page, "office_a")

    # R7: a rule linked to an item, issued at once.
    page.goto("/remediation/rules/new/")
    page.fill("#id_title", "防止干预司法“三个规定”记录报告实施细则")
    page.select_option("#id_unit", str(org.court_a.pk))
    page.fill("#id_issued_on", today)
    page.fill("#id_item_numbers", "ZZ-A-100")
    page.screenshot(path=f"{SHOTS}/rule-form-1366.png", full_page=True)
    _submit(page, "#rule-form button[name=issue]")
    rule = Rule.objects.get()
    assert rule.status == "issued" and list(rule.items.all()) == [item]
    page.goto("/remediation/rules/")
    page.screenshot(path=f"{SHOTS}/rule-list-1366.png", full_page=True)

    # R8: a rotation effective today moves the officer now.
    page.goto("/remediation/rotations/new/")
    page.fill("#id_officer", "A001")
    page.select_option("#id_kind", "rotation")
    page.select_option("#id_to_unit", str(org.police_a.pk))
    page.fill("#id_to_post", "法制员")
    page.fill("#id_effective_date", today)
    page.fill("#id_reason", "敏感岗位轮岗")
    _submit(page, "#rotation-form button[type=submit]")
    rotation = Rotation.objects.get()
    assert rotation.applied_at is not None
    page.screenshot(path=f"{SHOTS}/rotation-detail-1366.png", full_page=True)
    page.goto("/remediation/rotations/")
    page.screenshot(path=f"{SHOTS}/rotation-list-1366.png", full_page=True)
    page.goto("/remediation/rotations/overdue/")
    assert "任职起始日期未知" in page.content()  # 赵院长: no start date recorded
    page.screenshot(path=f"{SHOTS}/rotation-overdue-1366.png", full_page=True)

    # O3: a meeting linked to the lead and the item shows on the lead's page.
    page.goto("/remediation/meetings/new/")
    page.select_option("#id_unit", str(org.district_a.pk))
    page.fill("#id_date", today)
    page.select_option("#id_kind", "lead_handover")
    page.fill("#id_title", "线索移交会商")
    page.fill("#id_decisions", "移交区纪委监委")
    page.fill("#id_lead_numbers", "甲区-2026-100")
    page.fill("#id_item_numbers", "ZZ-A-100")
    page.fill("#id_participant_0", "A001")
    page.screenshot(path=f"{SHOTS}/meeting-form-1366.png", full_page=True)
    _submit(page, "#meeting-form button[type=submit]")
    assert Meeting.objects.get().leads.get() == lead
    page.screenshot(path=f"{SHOTS}/meeting-detail-1366.png", full_page=True)
    page.goto(f"/leads/{lead.pk}/")
    assert page.locator("#linked-entries").inner_text().count("线索移交会商") == 1
    page.locator("#linked-entries").screenshot(path=f"{SHOTS}/lead-linked-1366.png")

    # The same pages on a phone: no sideways scroll.
    login(phone_page, "office_a")
    for name, url in (
        ("rule-list", "/remediation/rules/"),
        ("rule-detail", f"/remediation/rules/{rule.pk}/"),
        ("rotation-list", "/remediation/rotations/"),
        ("rotation-overdue", "/remediation/rotations/overdue/"),
        ("meeting-list", "/remediation/meetings/"),
        ("meeting-form", "/remediation/meetings/new/"),
    ):
        phone_page.goto(url)
        phone_page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        _no_sideways_scroll(phone_page)
