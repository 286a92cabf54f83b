"""Lead-page forms in a browser (1366×768 and 390×844): the supervision edit form shows the
saved 督办期限 and 督办要求 and saves unchanged; 异地办理 offers another district's units; a
past 办理期限 asks for confirmation and assigns on the second submit."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from leads import services
from leads.models import Lead, LeadStatus
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    # clientWidth, not innerWidth: on a phone the layout viewport grows with the content.
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return page.evaluate(width) <= 0


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l6_supervision_edit_and_jurisdiction_elsewhere_in_the_browser(
    org, assigned, viewport, request
):
    os.makedirs(SHOTS, exist_ok=True)
    page = request.getfixturevalue(viewport)
    page.on("dialog", lambda d: d.accept())
    lead = assigned()
    deadline = timezone.localdate() + dt.timedelta(days=12)
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=deadline,
        note="每周报告",
    )
    login(page, "office_a")
    page.goto(f"/leads/{lead.pk}/")
    page.click("#ov-supervision summary:text('变更督办领导或期限')")
    assert page.locator("#ov-list-deadline").input_value() == deadline.isoformat()
    assert page.locator("#ov-list-note").input_value() == "每周报告"
    assert "已选：赵院长" in page.locator("#ov-list-supervisor-chosen").inner_text()
    assert _no_overflow(page)
    page.screenshot(path=f"{SHOTS}/supervision-edit-{viewport}.png", full_page=True)
    with page.expect_navigation():
        page.click("#ov-list-form button[type=submit]")
    assert page.locator(".msg-error").count() == 0
    lead.refresh_from_db()
    assert lead.supervision_deadline == deadline

    page.click("#ov-jurisdiction summary")
    group = page.locator("#ov-jur-unit optgroup[data-kind=elsewhere]")
    assert "乙区法院" in group.inner_text()
    page.select_option("#ov-jur-kind", "elsewhere")
    page.select_option("#ov-jur-unit", label="乙区法院")
    page.fill("#ov-jur-reason", "异地办理以避嫌")
    with page.expect_navigation():
        page.click("#ov-jurisdiction-form button[type=submit]")
    assert Lead.objects.get(pk=lead.pk).handling_unit == org.court_b


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l10_past_deadline_asks_for_confirmation_in_the_browser(org, register, viewport, request):
    page = request.getfixturevalue(viewport)
    page.on("dialog", lambda d: d.accept())
    lead = register()
    login(page, "office_a")
    page.goto(f"/leads/{lead.pk}/")
    page.select_option("#assign-unit", str(org.police_a.pk))
    page.fill("#assign-handler", "A100")
    page.fill("#assign-deadline", "2020-01-01")
    with page.expect_navigation():
        page.click("#assign-form button[type=submit]")
    assert "办理期限早于今天" in page.locator(".msg-warning").inner_text()
    assert page.locator("#assign-deadline").input_value() == "2020-01-01"
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.REGISTERED
    assert _no_overflow(page)
    page.check("#assign-confirm_past_deadline")
    with page.expect_navigation():
        page.click("#assign-form button[type=submit]")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.deadline == dt.date(2020, 1, 1)
