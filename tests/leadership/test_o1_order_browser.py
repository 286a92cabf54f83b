"""O1 in a browser: the leader issues a 督办单 from the lead page, the unit head replies on a
phone, the leader accepts it (confirmation dialog), the A4 notice prints."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from leadership.models import OrderStatus, SupervisionOrder
from tests.conftest import login
from tests.leadership.o1_helpers import days
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

SHOTS = "/tmp/shots/O1"


def _shot(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_o1_order_issued_answered_and_closed_in_browser(org, page, phone_page, assigned):  # noqa: F811
    os.makedirs(SHOTS, exist_ok=True)
    lead = assigned()
    login(page, "chief")
    page.goto(reverse("leads:detail", args=[lead.pk]))
    with page.expect_navigation():
        page.click("#btn-issue-order")
    page.fill("#id_content", "线索办理进度滞后，请加快核查")
    page.fill("#id_deadline", days(7).isoformat())
    with page.expect_navigation():
        page.click("#btn-issue")
    order = SupervisionOrder.objects.get()
    assert page.inner_text("#order-number") == order.number
    _shot(page, "order")

    login(phone_page, "head_a")
    phone_page.goto(reverse("leadership:awaiting"))
    assert order.number in phone_page.inner_text("#awaiting-orders")
    _shot(phone_page, "awaiting")
    phone_page.goto(reverse("leadership:order_detail", args=[order.pk]))
    phone_page.fill("#reply-text", "已成立专班核查，两周内查结")
    with phone_page.expect_navigation():
        phone_page.click("#btn-reply")
    _shot(phone_page, "replied")

    page.goto(reverse("leadership:order_detail", args=[order.pk]))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#btn-accept")
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    page.goto(reverse("leads:detail", args=[lead.pk]))
    assert order.number in page.inner_text("#supervision")
    page.goto(reverse("leadership:order_print", args=[order.pk]))
    assert "督办通知书" in page.inner_text("h1")
    _shot(page, "print")
    page.pdf(path=f"{SHOTS}/print.pdf", format="A4")
