"""The self-check form on a phone (390×844): a pasted 6,000-character answer is kept whole,
the counter shows it is over the stated 5,000, autosave refuses and so does submit."""

from __future__ import annotations

import pytest

from rectify.models import ChronicProblem
from selfcheck.models import ReportVersion, SelfCheckReport
from tests.conftest import login

SHOTS = "/tmp/selfcheck-shots"
ITEM = ChronicProblem.INTERFERENCE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_counts_and_refuses_an_over_long_answer_on_a_phone(org, phone_page, audit_flushable):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    phone = phone_page
    phone.on("dialog", lambda d: d.accept())
    login(phone, "officer_a")
    phone.goto("/selfcheck/my/")
    for value in ChronicProblem.values:
        choice = "yes" if value == ITEM else "no"
        phone.check(f'input[name="item-{value}-yes"][value="{choice}"]')
    box = phone.locator(f'textarea[name="item-{ITEM}-details"]')
    counter = phone.locator(f"#d-{ITEM}-limit")
    assert counter.inner_text() == "0/5000"  # the stated limit became a live counter

    box.fill("说明" * 10)
    assert counter.inner_text() == "20/5000"
    phone.locator("#autosave").get_by_text("已自动保存").wait_for()

    box.fill("字" * 6000)  # as a paste: the browser must not cut it to 5,000
    assert len(box.input_value()) == 6000
    assert "6000/5000" in counter.inner_text() and "超出 1000 字" in counter.inner_text()
    assert "char-over" in (counter.get_attribute("class") or "")
    refused = phone.locator("#autosave .sc-not-saved")
    refused.wait_for()
    assert "最多5000字，现为6000字" in refused.inner_text()
    assert "已自动保存" not in phone.locator("#autosave").inner_text()
    assert counter.is_visible() and counter.bounding_box()["x"] + 10 < 390
    phone.screenshot(path=f"{SHOTS}/limits-phone.png", full_page=False)

    with phone.expect_navigation():
        phone.click("#sc-submit")
    errors = phone.locator("#form-errors")
    assert "第1项“具体情况”最多5000字，现为6000字" in errors.inner_text()
    assert not ReportVersion.objects.exists()
    report = SelfCheckReport.objects.get()
    # the last good draft (autosave may not have caught the 20 characters yet), never a cut one
    assert report.draft["answers"][ITEM]["details"] in ("", "说明" * 10)
    # the refused text is still in the box for the officer to shorten
    assert len(phone.locator(f'textarea[name="item-{ITEM}-details"]').input_value()) == 6000
