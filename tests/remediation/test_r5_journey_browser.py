"""The journey of issue 12 in a real browser, desktop 1366×768 and phone 390×844: the office
creates a plan and two items (one by 生成整改问题 from a lead) → the unit head adds a measure,
uploads evidence and marks the item rectified → the office's acceptance is refused naming
each missing condition → survey responses and an accountability record are added, the
evidence approved → accepted. Screenshots go to /tmp/shots/RE2/.

The public answers on the public survey page in a phone browser with JavaScript off, one
printed code each (the office's batch of codes is made through its service)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services as lead_services
from leads.models import Channel, LeadCategory
from remediation.models import Accountability, EvidenceStatus, Item, ItemOrigin, ItemStatus, Plan
from remediation.services.surveys import survey_batch_create
from tests.conftest import login

SHOTS = "/tmp/shots/RE2"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def _shot(page, name: str) -> None:
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_r5_journey_plan_to_acceptance_in_browser(org, page, phone_page, browser, live_server):
    os.makedirs(SHOTS, exist_ok=True)
    today = timezone.localdate()
    lead = lead_services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=today,
        channel=Channel.objects.get(code="hotline"),
        category=LeadCategory.INTERFERENCE,
        summary="举报内容：某民警过问他人案件（机密）",
        subject_unit=org.police_a,
    )

    # The office (desktop): a plan for the interference problem of 甲区公安分局 …
    login(page, "office_a")
    page.goto(reverse("remediation:plan_list"))
    _submit(page, "#btn-new-plan")
    page.select_option("#id_unit", str(org.police_a.pk))
    page.select_option("#id_problem", "interference")
    page.fill("#id_title", "甲区公安分局“三个规定”专项整治方案")
    page.fill("#id_goal", "杜绝违规过问、干预司法")
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + dt.timedelta(days=60)).isoformat())
    _submit(page, "#btn-save-plan")
    plan = Plan.objects.get()
    # … an item on it …
    _submit(page, "#btn-new-item")
    page.fill("#id_description", "个别民警违规打听案情，未按规定记录报告")
    page.select_option("#id_kind", "frequent")
    page.select_option("#id_origin", "inspection")
    page.check("#id_is_blocking")
    page.fill("#id_cause_discipline", "纪律观念淡薄，对“三个规定”认识不到位")
    page.fill("#id_deadline", (today + dt.timedelta(days=30)).isoformat())
    _submit(page, "#btn-save-item")
    item = Item.objects.get(plan=plan, origin=ItemOrigin.INSPECTION)
    assert page.inner_text("#item-number") == item.number

    # … and one generated from the lead (生成整改问题), linked both ways.
    page.goto(reverse("leads:detail", args=[lead.pk]))
    _submit(page, "#btn-generate-item")
    page.fill("#id_description", "民警过问他人案件问题（线索转整改）")
    page.select_option("#id_kind", "typical")
    page.fill("#id_deadline", (today + dt.timedelta(days=30)).isoformat())
    _submit(page, "#btn-save-item")
    from_lead = Item.objects.get(origin=ItemOrigin.LEAD)
    assert from_lead.source_lead_id == lead.pk and page.is_visible("#source-lead")
    page.goto(reverse("leads:detail", args=[lead.pk]))
    assert from_lead.number in page.content()

    # The unit head (phone): a measure, done; evidence; marked rectified.
    url = reverse("remediation:item_detail", args=[item.pk])
    login(phone_page, "head_a")
    phone_page.goto(url)
    phone_page.fill("#measure-text", "建立过问案件登记台账，逐案记录")
    phone_page.fill("#measure-deadline", (today + dt.timedelta(days=10)).isoformat())
    _submit(phone_page, "#btn-add-measure")
    measure = item.measures.get()
    phone_page.select_option(f"#ms-{measure.pk}", "done")
    _submit(phone_page, f"#measure-{measure.pk} form.rm-inline button")
    phone_page.set_input_files(
        "#evidence-file",
        files=[
            {"name": "整改台账.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ],
    )
    phone_page.fill("#evidence-note", "过问案件登记台账")
    _submit(phone_page, "#btn-upload-evidence")
    assert "已上传佐证材料" in phone_page.content()
    phone_page.fill("#cl-submit-note", "已建立登记台账，组织专题学习")
    _submit(phone_page, "#submit-form button")
    assert "已提请验收" in phone_page.content()
    _shot(phone_page, "item-rectified")

    # The office: acceptance refused, every missing condition named (the button is disabled;
    # forcing the POST gets the same answer from the server).
    page.goto(url)
    missing = page.inner_text("#missing-conditions")
    for condition in ("问题未解决不放过", "群众不满意不放过", "责任人未处理不放过"):
        assert condition in missing
    assert page.is_disabled("#accept-form button")
    page.evaluate("document.querySelector('#accept-form button').disabled = false")
    page.click("#accept-form button")
    page.wait_for_selector("#accept-refused")
    refused = page.inner_text("#accept-refused")
    assert "群众不满意不放过" in refused and "责任人未处理不放过" in refused
    _shot(page, "accept-refused")
    assert Item.objects.get(pk=item.pk).status == ItemStatus.RECTIFIED

    # The public: five printed codes, each answered on the public page, JavaScript off.
    _, codes = survey_batch_create(unit=item.unit, item=item, size=5, actor=org.office_staff)
    public = browser.new_context(
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
        locale="zh-CN",
        base_url=live_server.url,
    )
    citizen = public.new_page()
    for code, score in zip(codes, [5, 5, 4, 5, 4], strict=True):
        citizen.goto(reverse("remediation:survey"))
        citizen.fill("#code-form input[name=code]", code)
        _submit(citizen, "#code-form button")
        assert item.description in citizen.inner_text("#item-text")
        citizen.check(f"#answer-form input[name=satisfaction][value='{score}']")
        citizen.fill("#answer-form textarea[name=comment]", "整改后办事方便多了")
        if score == 4:
            _shot(citizen, "public-survey")
        _submit(citizen, "#answer-form button")
    _shot(citizen, "public-thanks")
    public.close()
    assert item.survey_responses.count() == 5

    # The accountability record and the evidence approved.
    page.goto(url)
    page.click("text=登记问责记录")
    page.fill("#cl-acc-person_name", "王某")
    page.select_option("#cl-acc-level", "direct")
    page.select_option("#cl-acc-disposition", "first")
    page.fill("#cl-acc-detail", "批评教育，责令书面检查")
    _submit(page, "#accountability-form button")
    assert Accountability.objects.filter(item=item).count() == 1
    evidence = item.evidence.get()
    page.select_option(f"#evidence-{evidence.pk} select[name=decision]", "approved")
    _submit(page, f"#evidence-{evidence.pk} button")
    assert item.evidence.get().status == EvidenceStatus.APPROVED
    assert "三个条件均已满足" in page.inner_text("#closure-gate")
    _shot(page, "item-ready")
    _submit(page, "#accept-form button")
    assert Item.objects.get(pk=item.pk).status == ItemStatus.ACCEPTED
    assert "已验收" in page.inner_text("#closure-gate")
    _shot(page, "item-accepted")

    # The item page and the ledger at both sizes.
    phone_page.goto(url)
    assert "已验收" in phone_page.inner_text("#closure-gate")
    _shot(phone_page, "item-accepted")
    for p in (page, phone_page):
        p.goto(reverse("remediation:ledger"))
        assert item.number in p.content()
        _shot(p, "ledger")
    phone_page.context.clear_cookies()
    login(phone_page, "office_a")
    phone_page.goto(reverse("remediation:item_detail", args=[from_lead.pk]))
    assert phone_page.is_visible("#source-lead")
    _shot(phone_page, "item-from-lead")
