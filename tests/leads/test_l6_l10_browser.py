"""Oversight in a real browser: listing a lead for supervision (L6) with the confirmation
dialog at 1366×768, and the 督办/逾期 board (L10) and the lead's oversight card on a phone."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from leads import services
from leads.models import Lead
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_l6_list_supervision_in_the_browser_and_l10_board_on_a_phone(
    org, assigned, page, phone_page
):
    os.makedirs(SHOTS, exist_ok=True)
    lead = assigned(summary="反映某干警违规过问案件")
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    login(page, "office_a")
    page.goto(f"/leads/{lead.pk}/")
    page.click("#ov-supervision summary")
    page.fill("#ov-list-supervisor", "A900")
    deadline = timezone.localdate() + dt.timedelta(days=10)
    page.fill("#ov-list-deadline", deadline.isoformat())
    with page.expect_navigation():
        page.click("#ov-list-form button[type=submit]")
    assert dialogs and "挂牌督办" in dialogs[0]
    assert "赵院长" in page.locator("#ov-supervisor").inner_text()
    assert page.locator(".msg-success").inner_text() == "已挂牌督办"
    page.screenshot(path=f"{SHOTS}/oversight-card-1366.png", full_page=True)

    # Overdue: on the board, with the responsible person, on a phone too.
    Lead.objects.filter(pk=lead.pk).update(deadline=timezone.localdate() - dt.timedelta(days=9))
    services.escalate_flagged()
    page.goto("/leads/oversight/")
    row = page.locator("#board tbody tr").first
    assert lead.number in row.inner_text() and "久查不结" in row.inner_text()
    assert _no_overflow(page)
    login(phone_page, "office_a")
    phone_page.goto("/leads/oversight/")
    assert lead.number in phone_page.locator("#board").inner_text()
    assert _no_overflow(phone_page)
    phone_page.screenshot(path=f"{SHOTS}/oversight-board-phone.png", full_page=True)
    phone_page.goto(f"/leads/{lead.pk}/")
    assert "久查不结" in phone_page.locator("#ov-flags").inner_text()
    assert _no_overflow(phone_page)
