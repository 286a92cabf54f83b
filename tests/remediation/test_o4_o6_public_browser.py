"""O4–O6 in a real browser: office staff print survey slips → a citizen on a phone without
JavaScript answers by the QR link → the results and the public page; matters and cases
pages at desktop and phone widths, without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from remediation.models import SurveyResponse
from remediation.services import public as services
from tests.conftest import login
from tests.factories import remediation_item

SHOTS = "/tmp/shots/RC"
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _seed(org):
    item = remediation_item(org.court_a, description="立案窗口推诿、群众多次往返仍未立案")
    services.commitment_create(
        unit=org.court_a,
        title="立案窗口当场登记、不推诿",
        text="符合条件的当场立案；不能当场立案的一次性告知所需材料。",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        is_published=True,
        actor=org.office_staff,
    )
    matter = services.matter_create(
        unit=org.court_a,
        title="开通夜间立案窗口",
        commitment="工作日延时服务至 20 时",
        owner=org.officer_a,
        deadline=timezone.localdate() + dt.timedelta(days=14),
        is_public=True,
        actor=org.office_staff,
    )
    services.matter_create(
        unit=org.police_a,
        title="户籍业务一窗通办",
        commitment="减少群众跑腿",
        owner=org.unit_head,
        deadline=timezone.localdate() - dt.timedelta(days=1),
        is_public=False,
        actor=org.office_staff,
    )
    case = services.typical_case_create(
        unit=org.district_a,
        title="某法院干警违规经商办企业被查处",
        body="经查，某干警违规入股企业并参与经营，给予党内严重警告处分。",
        actor=org.office_staff,
    )
    case = services.typical_case_submit(case=case, actor=org.office_staff)
    services.typical_case_decide(case=case, approve=True, actor=org.chief, note="同意")
    return item, matter


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_o4_o5_o6_journey_slips_phone_answer_results_public_page(
    org, browser, live_server, page, phone_page
):
    os.makedirs(SHOTS, exist_ok=True)
    item, _matter = _seed(org)

    # 1. Office staff print slips for the item (desktop).
    login(page, "office_a")
    page.goto(f"/remediation/acceptance/batches/new/?item={item.pk}")
    page.fill("#id_size", "6")
    page.screenshot(path=f"{SHOTS}/batch-form-1366.png", full_page=True)
    _submit(page, "#batch-form button[type=submit]")
    assert page.locator(".rm-slip svg").count() == 6
    page.screenshot(path=f"{SHOTS}/slips-1366.png", full_page=True)
    codes = page.locator(".slip-code").all_inner_texts()
    assert len(codes) == 6 and all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", c) for c in codes)

    # 2. A citizen scans the QR on a phone with JavaScript off and answers.
    citizen_ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        locale="zh-CN",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    citizen = citizen_ctx.new_page()
    citizen.set_default_timeout(15000)
    citizen.goto(f"/remediation/survey/?code={codes[0]}")
    assert "立案窗口推诿" in citizen.inner_text("#accepting")
    citizen.screenshot(path=f"{SHOTS}/survey-answer-390.png", full_page=True)
    citizen.check("input[name=satisfaction][value='4']")
    citizen.fill("#id_comment", "窗口态度明显好转")
    _submit(citizen, "#answer-form button[type=submit]")
    assert "感谢您的参与" in citizen.content()
    citizen.screenshot(path=f"{SHOTS}/survey-thanks-390.png", full_page=True)
    # The same slip again: refused, plainly.
    citizen.goto("/remediation/survey/")
    citizen.fill("#id_code", codes[0])
    _submit(citizen, "#code-form button[type=submit]")
    assert "已使用过" in citizen.content()
    citizen.screenshot(path=f"{SHOTS}/survey-used-390.png", full_page=True)
    cookies = citizen_ctx.cookies()
    assert {c["name"] for c in cookies} <= {"csrftoken"}
    assert all(c["expires"] == -1 for c in cookies)  # session cookies only
    citizen.goto(f"/remediation/public/units/{org.court_a.pk}/")
    citizen.screenshot(path=f"{SHOTS}/public-unit-390.png", full_page=True)
    assert "开通夜间立案窗口" in citizen.content()
    citizen_ctx.close()
    assert SurveyResponse.objects.filter(item=item).count() == 1

    # 3. Pages at both widths, no sideways scrolling on the phone.
    login(phone_page, "chief")
    for name, url in (
        ("results", "/remediation/acceptance/results/"),
        ("matters", "/remediation/matters/"),
        ("cases", "/remediation/cases/"),
        ("public-unit", f"/remediation/public/units/{org.district_a.pk}/"),
    ):
        phone_page.goto(url)
        phone_page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        assert phone_page.evaluate(NO_SIDEWAYS), name
    for name, url in (
        ("commitments", "/remediation/commitments/"),
        ("matters-office", "/remediation/matters/"),
        ("cases-office", "/remediation/cases/"),
    ):
        page.goto(url)
        page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
    office_ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server.url
    )
    office_phone = office_ctx.new_page()
    login(office_phone, "office_a")
    for name, url in (
        ("matters-office", "/remediation/matters/"),
        ("batch-form", f"/remediation/acceptance/batches/new/?item={item.pk}"),
        ("commitments", "/remediation/commitments/"),
    ):
        office_phone.goto(url)
        office_phone.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        assert office_phone.evaluate(NO_SIDEWAYS), name
    office_ctx.close()
    chief_ctx = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    chief = chief_ctx.new_page()
    login(chief, "chief")
    chief.goto("/remediation/acceptance/results/")
    chief.screenshot(path=f"{SHOTS}/results-1366.png", full_page=True)
    chief_ctx.close()
