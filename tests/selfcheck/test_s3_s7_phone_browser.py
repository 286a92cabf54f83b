"""Issue 10, self-check pages on a phone (390×844) and at 1366×768, measured in Chromium:
the review queue's links, the figures chart and unit column, the version diff's columns and
the return reason on the home card. Screenshots go to /tmp/selfcheck-shots."""

from __future__ import annotations

import os

import pytest

from rectify.models import ChronicProblem, UnitKind
from selfcheck import services
from tests.conftest import login
from tests.factories import OfficerFactory, UnitFactory

from .conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/selfcheck-shots"
VIEWPORTS = ["page", "phone_page"]
LONG_REASON = "第2项未说明配偶经营的秦皇岛某某贸易有限公司的持股比例和经营期间，请补充后重新提交"


def _browser(request, viewport):
    os.makedirs(SHOTS, exist_ok=True)
    return request.getfixturevalue(viewport)


def _no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _shot(page, name: str, viewport: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}-{viewport}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_review_queue_links_are_wide_enough_and_names_are_links(
    org, viewport, request, audit_flushable
):
    page = _browser(request, viewport)
    for i in range(3):
        officer = OfficerFactory(
            unit=org.station_a1, name=f"欧阳明{i}", number=f"P{i:03d}", position="民警"
        )
        submit(officer, org.campaign, yes=(ChronicProblem.INTERFERENCE,) if i == 0 else ())
    # A long N item label (configured after the reports were filed) lands in the 申报"是"的事项 filter: it must not widen the page.
    services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text="是否存在违规使用警车、警械，或者利用职务便利为亲友经营活动提供帮助的情况",
        help_text="",
        kind="yesno",
        order=10,
        actor=org.office_staff,
    )
    login(page, "reviewer_a")
    page.goto("/selfcheck/reports/")
    _shot(page, "queue", viewport)
    assert _no_overflow(page)
    row = page.locator("#queue tbody tr").first
    name = row.locator("td").first.locator("a")
    assert name.count() == 1 and "/selfcheck/reports/" in name.get_attribute("href")
    action = row.locator("a.sc-review-link")
    box = action.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 32
    table = _box(page, "#queue")
    viewport_width = page.viewport_size["width"]
    assert box["x"] + box["width"] <= min(table["x"] + table["width"], viewport_width) + 0.5


CHILD_NAMES = [
    "甲区人民检察院",
    "甲区司法局社区矫正管理局",
    "甲区看守所",
    "甲区拘留所",
    "甲区强制隔离戒毒所",
]

# Text boxes of the chart's category labels (the SVG renderer puts them in the DOM).
_LABEL_BOXES = """(names) => {
  const boxes = [];
  for (const t of document.querySelectorAll('#sc-chart svg text')) {
    const text = t.textContent.trim();
    if (!text || !names.some((n) => n.startsWith(text.replace(/…$/, '')) || text.startsWith(n.slice(0, 2)))) continue;
    const r = t.getBoundingClientRect();
    boxes.push({text, x: r.x, y: r.y, w: r.width, h: r.height});
  }
  return boxes;
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_s3_figures_chart_labels_do_not_overlap_and_unit_column_is_readable(
    org, viewport, request, audit_flushable
):
    page = _browser(request, viewport)
    for i, name in enumerate(CHILD_NAMES):
        unit = UnitFactory(parent=org.district_a, code=f"DA-X{i}", name=name, kind=UnitKind.OTHER)
        for j in range(2):
            OfficerFactory(unit=unit, number=f"X{i}{j}")
    login(page, "reviewer_a")
    page.goto("/selfcheck/figures/")
    page.locator("#sc-chart svg").wait_for()
    page.wait_for_timeout(1500)  # the bars' grow-in animation
    _shot(page, "figures", viewport)
    page.locator("#sc-children").scroll_into_view_if_needed()
    page.locator("#sc-chart").screenshot(path=f"{SHOTS}/figures-chart-{viewport}.png")
    assert _no_overflow(page)
    names = ["甲区法院", "甲区公安分局", *CHILD_NAMES]
    boxes = page.evaluate(_LABEL_BOXES, names)
    assert len(boxes) >= len(names), boxes
    chart = _box(page, "#sc-chart")
    for i, a in enumerate(boxes):
        assert a["x"] >= chart["x"] - 0.5 and a["x"] + a["w"] <= chart["x"] + chart["width"] + 0.5
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    # the unit column holds at least six characters side by side
    cell = _box(page, "#sc-children tbody td.sc-fig-unit")
    assert cell["width"] >= 6 * 15


LONG_ANSWER = "本人曾于2023年受朋友之托，就其亲属涉诉案件向承办法官打听案件进展情况。" * 12


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_s7_version_diff_keeps_the_new_column_as_wide_as_the_old(
    org, viewport, request, audit_flushable
):
    page = _browser(request, viewport)
    interference = ChronicProblem.INTERFERENCE
    first = submit(
        org.officer_a,
        org.campaign,
        yes=(interference,),
        extra={f"item-{interference}-details": LONG_ANSWER},
    )
    services.report_return(report=first.report, actor=org.reviewer, reason="请精简")
    submit(org.officer_a, org.campaign, yes=(interference,))
    login(page, "reviewer_a")
    page.goto(f"/selfcheck/reports/{first.report.pk}/diff/")
    _shot(page, "diff", viewport)
    assert _no_overflow(page)
    heads = page.locator("table.sc-diff thead th")
    item, old, new = (heads.nth(i).bounding_box() for i in range(3))
    table = _box(page, "table.sc-diff")
    assert new["width"] >= 0.9 * old["width"], (old, new)
    assert new["width"] >= 0.3 * table["width"]
    assert item["width"] >= 0.2 * table["width"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_s7_return_reason_on_the_home_card_reads_as_a_line(org, viewport, request, audit_flushable):
    page = _browser(request, viewport)
    version = submit(org.officer_a, org.campaign)
    services.report_return(report=version.report, actor=org.reviewer, reason=LONG_REASON)
    login(page, "officer_a")
    page.goto("/")
    _shot(page, "home-returned", viewport)
    assert _no_overflow(page)
    line = page.locator(".panel li", has_text="退回原因").first
    text = line.locator(":scope > *").first
    box, card = text.bounding_box(), _box(page, ".panel")
    assert box["width"] >= 0.6 * card["width"], (box, card)
    assert "持股比例" in line.inner_text()
