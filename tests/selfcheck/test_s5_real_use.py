"""Issue 10 (real use) on the self-check side: N items in every figure, filter and export;
the summary export for the exporting reviewer and for office staff; reminder wording."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from rectify.models import ChronicProblem, Role
from selfcheck import services
from selfcheck.models import ReportVersion
from tests.factories import OfficerFactory, grant, officer_with_login

from .conftest import post_data, submit

pytestmark = pytest.mark.django_db

N_TEXT = "是否存在违规使用警车、警械的情况"


@pytest.fixture
def n_item(org):
    """An N item configured on the police bureau (like the demo's), so it applies to
    station_a1's officer_a2 but not to court_a's officer_a."""
    return services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text=N_TEXT,
        help_text="",
        kind="yesno",
        order=10,
        actor=org.office_staff,
    )


def _answer_n(cfg, yes: bool) -> dict:
    if not yes:
        return {f"item-{cfg.key}-yes": "no"}
    return {f"item-{cfg.key}-yes": "yes", f"item-{cfg.key}-details": "曾借用警车办私事"}


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(wb.active.iter_rows(values_only=True))


def test_s5_n_item_yes_counts_in_figures_filter_and_both_exports(client, org, n_item):
    submit(org.officer_a2, org.campaign, extra=_answer_n(n_item, True))
    submit(org.officer_a, org.campaign)  # court_a: the N item does not apply
    client.force_login(org.reviewer)

    # 自查统计 of the district lists the bureau's item with its count, linked to the queue
    page = client.get(reverse("selfcheck:figures") + f"?unit={org.district_a.pk}")
    items = {i["key"]: i for i in page.context["items"]}
    assert items[n_item.key]["n"] == 1 and items[n_item.key]["label"] == N_TEXT
    assert f"yes_item={n_item.key}" in page.content.decode()

    # the queue filter 申报"是"的事项 offers it and filters by it
    queue = client.get(reverse("selfcheck:queue") + f"?yes_item={n_item.key}")
    assert (n_item.key, f"N项：{N_TEXT}") in queue.context["form"].fields["yes_item"].choices
    assert {r.officer.name for r in queue.context["page"].items} == {"李四"}

    # 导出报告汇总: a column for the N item, 是 for the declaring officer
    rows = _sheet(client.get(reverse("selfcheck:export")))
    col = rows[0].index(f"N项：{N_TEXT}")
    by_number = {r[1]: r for r in rows[1:]}
    assert by_number["A002"][col] == "是"
    assert by_number["A001"][col] in ("", None)  # not asked of court_a's officers

    # 导出统计: the district row counts the N item's yes
    rows = _sheet(client.get(reverse("selfcheck:figures_export") + f"?unit={org.district_a.pk}"))
    col = rows[0].index(f"N项：{N_TEXT}申报“是”")
    assert rows[1][0] == "甲区" and rows[1][col] == 1


def test_s5_summary_export_has_no_query_per_row(client, org, n_item):
    client.force_login(org.reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = _sheet(client.get(reverse("selfcheck:export")))
        col = rows[0].index(f"N项：{N_TEXT}")
        return len(ctx.captured_queries), sum(r[col] == "是" for r in rows[1:])

    for i in range(2):
        submit(
            OfficerFactory(unit=org.station_a1, number=f"S{i}"),
            org.campaign,
            extra=_answer_n(n_item, i % 2 == 0),
        )
    small, n_small = queries()
    for i in range(2, 22):
        submit(
            OfficerFactory(unit=org.station_a1, number=f"S{i}"),
            org.campaign,
            extra=_answer_n(n_item, i % 2 == 0),
        )
    big, n_big = queries()
    assert (n_small, n_big) == (1, 11) and small == big


def test_it_summary_export_includes_the_exporting_reviewers_own_report(client, org):
    me = officer_with_login(org.court_a, "reviewer_officer", name="钱审核", number="A500")
    grant(me.user, Role.REVIEWER, org.district_a)
    submit(me, org.campaign)
    submit(org.officer_a, org.campaign)
    client.force_login(me.user)
    numbers = {r[1] for r in _sheet(client.get(reverse("selfcheck:export")))[1:]}
    assert {"A500", "A001"} <= numbers
    # the queue still leaves the own report out: nobody reviews themselves
    queue = client.get(reverse("selfcheck:queue"))
    assert "A500" not in {r.officer.number for r in queue.context["page"].items}


def test_it_office_staff_export_the_summary_of_their_scope_without_answers(
    client, org, submitted_a
):
    services.report_return(report=submitted_a, actor=org.reviewer, reason="请补充配偶持股比例")
    submit(org.officer_b, org.campaign)
    client.force_login(org.office_staff)
    figures = client.get(reverse("selfcheck:figures")).content.decode()
    assert "导出报告汇总" in figures
    rows = _sheet(client.get(reverse("selfcheck:export")))
    header, body = rows[0], {r[1]: r for r in rows[1:]}
    assert "A001" in body and "B001" not in body  # their district only
    row = body["A001"]
    assert row[header.index("状态")] == "退回补充"
    # office staff follow progress, not contents (need to know)
    assert row[header.index("第2项")] in ("", None)
    assert row[header.index("退回原因")] in ("", None)
    assert row[header.index("经商办企业行数")] in ("", None)
    # and another district's office does not reach this district's rows
    client.force_login(org.outsider)
    assert client.get(reverse("selfcheck:export") + f"?unit={org.district_a.pk}").status_code == 404


def _flash(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_it_bulk_reminder_says_who_was_reminded_now_and_who_today_already(client, org):
    client.force_login(org.reviewer)
    first = _flash(client.post(reverse("selfcheck:remind"), follow=True))
    assert first == ["已向5名未提交的干警发送提醒。"]
    officer_with_login(org.court_a, "newcomer", name="新同志", number="A777")
    OfficerFactory(unit=org.court_a, number="A778", user=None)  # no login
    second = _flash(client.post(reverse("selfcheck:remind"), follow=True))
    assert second == [
        "已向1名未提交的干警发送提醒；另有5名今日已提醒过，不重复发送；"
        "1名未开通账号，无法在线提醒。"
    ]


def test_s5_a_loan_or_a_date_item_cannot_lie_in_the_future(client, org):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    cfg = services.item_config_create(
        campaign=org.campaign,
        unit=org.court_a,
        text="最近一次因私出国（境）日期",
        help_text="",
        kind="date",
        order=10,
        actor=org.office_staff,
    )
    loan = {"counterparty": "某某", "amount": "50000", "date": "2099-12-31"}
    client.force_login(org.officer_a.user)
    response = client.post(
        reverse("selfcheck:my_report_submit"),
        post_data(
            yes=(ChronicProblem.LENDING,), lending=[loan], extra={f"item-{cfg.key}-date": tomorrow}
        ),
    )
    assert response.status_code == 422
    errors = response.context["all_errors"]
    assert "第3项第1行：借贷日期不能晚于今天" in errors
    assert "第7项的日期不能晚于今天" in errors
    assert not ReportVersion.objects.exists()
    # today is fine
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("selfcheck:my_report_submit"),
        post_data(
            yes=(ChronicProblem.LENDING,),
            lending=[{**loan, "date": today}],
            extra={f"item-{cfg.key}-date": today},
        ),
    )
    assert response.status_code == 302 and ReportVersion.objects.count() == 1
