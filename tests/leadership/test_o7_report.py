"""O7: the periodic report to the superior office: the workbook (layout, print set-up, the
dashboard's figures, escaping), who may download it, submission up the chain and returns,
and the schedule."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leadership.models import Report, ReportStatus, ReportSubmission, SubmissionStatus
from leadership.report_book import SHEETS
from leadership.selectors.levers import child_levers, unit_levers
from leadership.selectors.periods import period_bounds
from leadership.services import reports as svc
from leadership.tasks import report_generate_run, reports_schedule_run
from rectify import figures
from rectify.models import AuditEvent
from tests.factories import UnitFactory

from .o7_fixtures import make_chain, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(org):
    return make_chain(org)


def request_report(client, user, office) -> Report:
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task runs after commit
        response = client.post(reverse("leadership:report_request"), {"office": office.pk})
    assert response.status_code == 302, response.content[:500]
    return Report.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def download(client, report):
    return client.get(reverse("leadership:report_download", args=[report.pk]))


def book_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def fill(org) -> None:
    c = org.campaign
    put(c, org.court_a, {"sc.expected": 10, "sc.submitted": 9, "ld.received": 4})
    put(c, org.court_a, {"ld.concluded": 3, "ld.dealt:1": 2, "ld.transferred": 1})
    put(c, org.police_a, {"sc.expected": 5, "sc.submitted": 2, "rm.items": 6, "rm.accepted": 3})
    put(c, org.station_a1, {"ld.received": 2, "ld.concluded": 1, "ld.dealt:4": 1})
    put(c, org.station_a1, {"rm.rules": 2, "rm.rotations": 1, "sc.yes:3": 2})
    put(c, org.district_a, {"ld.received": 1})  # the district's own row: in 合计 only


def test_o7_period_bounds():
    assert period_bounds("weekly", dt.date(2026, 12, 2)) == (
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 6),
    )
    assert period_bounds("ten_day", dt.date(2026, 2, 10)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 10),
    )
    assert period_bounds("ten_day", dt.date(2026, 2, 11)) == (
        dt.date(2026, 2, 11),
        dt.date(2026, 2, 20),
    )
    assert period_bounds("ten_day", dt.date(2028, 2, 29)) == (
        dt.date(2028, 2, 21),
        dt.date(2028, 2, 29),
    )
    assert period_bounds("monthly", dt.date(2026, 4, 15)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 30),
    )


def test_o7_report_workbook_has_the_set_layout_and_print_setup(client, chain):
    org = chain.org
    fill(org)
    report = request_report(client, org.office_staff, org.office_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100
    start, end = period_bounds("weekly", timezone.localdate())
    assert (report.period_start, report.period_end) == (start, end)
    book = book_of(download(client, report))
    assert book.sheetnames == SHEETS == ["汇总", "自查自纠", "线索核查", "专项整治"]
    for name in SHEETS:
        ws = book[name]
        assert ws["A1"].value.startswith("甲区教育整顿查纠整改进展统计表")
        assert any(str(r.coord).startswith("A1:") for r in ws.merged_cells.ranges)
        line = [c.value for c in ws[2] if c.value]
        assert line[0] == "填报单位：甲区" and line[1].startswith("统计期间：")
        assert f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}" in line[1]
        assert line[2].startswith("填报人：") and line[3].startswith("填报日期：")
        assert [c.value for c in ws[3]][:2] == ["序号", "单位"]
        assert [ws.cell(row=r, column=2).value for r in (4, 5, 6)] == [
            "甲区法院",
            "甲区公安分局",
            "合计",
        ]
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"
    heads = [c.value for c in book["线索核查"][3]]
    for label in ("受理线索", "办结", "查结率(%)", "第一种形态", "第四种形态", "移送纪委监委"):
        assert label in heads
    assert AuditEvent.objects.filter(action="leadership.report.downloaded").count() == 1


def test_o7_report_figures_equal_the_dashboard_levers(client, chain):
    org = chain.org
    fill(org)
    report = request_report(client, org.office_staff, org.office_a)
    book = book_of(download(client, report))
    children = [org.court_a, org.police_a]
    expected_rows = child_levers(org.office_staff, org.campaign, org.district_a, children)
    total = unit_levers(org.office_staff, org.campaign, org.district_a)

    def row(ws, r):
        heads = [c.value for c in ws[3]]
        return dict(zip(heads, [c.value for c in ws[r]], strict=False))

    for r, lv in [(4, expected_rows[0]), (5, expected_rows[1]), (6, total)]:
        summary = row(book["汇总"], r)
        assert summary["受理线索"] == lv["ld.received"]
        assert summary["办结"] == lv["ld.concluded"]
        assert summary["查结率(%)"] == lv.closure_rate
        assert summary["填报率(%)"] == lv.filing_rate
        assert summary["验收率(%)"] == lv.accepted_rate
        leads = row(book["线索核查"], r)
        assert leads["第一种形态"] == lv["ld.dealt:1"]
        assert leads["第四种形态"] == lv["ld.dealt:4"]
        assert leads["移送纪委监委"] == lv["ld.transferred"]
        rm = row(book["专项整治"], r)
        assert (rm["整改事项"], rm["已验收"]) == (lv["rm.items"], lv["rm.accepted"])
        assert (rm["建章立制"], rm["交流轮岗"]) == (lv["rm.rules"], lv["rm.rotations"])
        sc = row(book["自查自纠"], r)
        assert (sc["应自查人数"], sc["已填报"]) == (lv["sc.expected"], lv["sc.submitted"])
        assert sc["主动说明问题（人次）"] == lv.declared
    assert row(book["汇总"], 6)["受理线索"] == 7  # 4 + 2 + the district's own 1
    assert row(book["汇总"], 4)["查结率(%)"] == 75.0


def test_o7_report_escapes_cells_a_spreadsheet_would_run(client, chain):
    org = chain.org
    UnitFactory(parent=org.district_a, code="DA-X", name='=HYPERLINK("http://x")')
    report = request_report(client, org.office_staff, org.office_a)
    ws = book_of(download(client, report))["汇总"]
    names = [ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(str(n).startswith("=") for n in names)


def test_o7_report_is_downloadable_only_by_requester_and_the_offices(client, chain):
    org = chain.org
    report = request_report(client, org.office_staff, org.office_a)
    detail = reverse("leadership:report_detail", args=[report.pk])
    for user in (org.office_staff, chain.city_staff, org.chief):
        client.force_login(user)
        assert download(client, report).status_code == 200, user
        assert client.get(detail).status_code == 200, user
    for user in (org.outsider, org.officer_a.user, org.unit_head.user, org.intake):
        client.force_login(user)
        assert download(client, report).status_code == 404, user
        assert client.get(detail).status_code == 404, user
    client.force_login(org.office_staff)
    assert client.get(reverse("leadership:report_download", args=[99999])).status_code == 404
    assert AuditEvent.objects.filter(action="leadership.report.denied").exists()


def test_o7_report_progress_page_polls_until_ready(client, chain):
    org = chain.org
    report = request_report(client, org.office_staff, org.office_a)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    url = reverse("leadership:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.READY, progress=100)
    part = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "every 1s" not in part and reverse("leadership:report_download", args=[report.pk]) in part
    )


def test_o7_report_submission_return_and_reporting_rate(client, chain):
    org = chain.org
    report = request_report(client, org.office_staff, org.office_a)
    home = reverse("leadership:reports")
    assert client.post(reverse("leadership:report_submit", args=[report.pk])).status_code == 302
    sub = ReportSubmission.objects.get(office=org.office_a)
    assert sub.superior == chain.city_office and sub.status == SubmissionStatus.SUBMITTED
    # A second submission in the same period is refused until the superior returns it.
    with pytest.raises(svc.ReportError, match=svc.ALREADY_SUBMITTED):
        svc.report_submit(report=report, actor=org.office_staff)

    client.force_login(chain.city_staff)
    page = client.get(home).content.decode()
    assert "1/2 已报送" in page and "乙区教育整顿办" in page
    back = reverse("leadership:submission_return", args=[sub.pk])
    client.post(back, {"reason": ""})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED  # a return needs a reason
    # Another district's office may not return it.
    client.force_login(org.outsider)
    assert client.post(back, {"reason": "x"}).status_code == 404
    client.force_login(chain.city_staff)
    client.post(back, {"reason": "线索核查表数字有误"})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED and sub.returned_by == chain.city_staff
    assert "0/2 已报送" in client.get(home).content.decode()

    client.force_login(org.office_staff)
    assert "线索核查表数字有误" in client.get(home).content.decode()
    again = request_report(client, org.office_staff, org.office_a)
    client.post(reverse("leadership:report_submit", args=[again.pk]))
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED and sub.report == again
    assert ReportSubmission.objects.count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "leadership.submission.submitted",
        "leadership.submission.returned",
        "leadership.submission.resubmitted",
    } <= actions
    # The top office has nobody to report to.
    client.force_login(chain.city_staff)
    top = request_report(client, chain.city_staff, chain.city_office)
    with pytest.raises(svc.ReportError, match=svc.NO_SUPERIOR):
        svc.report_submit(report=top, actor=chain.city_staff)


def test_o7_report_generation_is_idempotent_by_id(client, chain):
    org = chain.org
    report = request_report(client, org.office_staff, org.office_a)
    report.refresh_from_db()
    finished = report.finished_at
    report_generate_run.delay(report.pk)
    report.refresh_from_db()
    assert report.finished_at == finished
    assert AuditEvent.objects.filter(action="leadership.report.generated").count() == 1


def test_o7_report_schedule_makes_one_report_per_office_and_period(chain, monkeypatch):
    org = chain.org
    today = timezone.localdate()
    start, end = period_bounds("weekly", today)
    if today != end:
        assert svc.reports_schedule(today=today) == 0
    offices = svc.offices_on_schedule()
    assert {o.pk for o in offices} == {org.office_a.pk, org.office_b.pk, chain.city_office.pk}
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert svc.reports_schedule(today=end) == 3
    assert svc.reports_schedule(today=end) == 0
    reports = Report.objects.filter(scheduled=True)
    assert reports.count() == 3
    assert all(r.status == ReportStatus.READY and r.requested_by is None for r in reports)
    monkeypatch.setattr(svc.timezone, "localdate", lambda: end)
    assert reports_schedule_run.delay().get() == {"queued": 0}
    assert Report.objects.filter(scheduled=True).count() == 3


def test_o7_report_scheduled_report_is_readable_by_its_office_and_superior(client, chain):
    org = chain.org
    end = period_bounds("weekly", timezone.localdate())[1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.reports_schedule(today=end)
    report = Report.objects.get(office=org.office_a, scheduled=True)
    for user, status in ((org.office_staff, 200), (chain.city_staff, 200), (org.outsider, 404)):
        client.force_login(user)
        assert download(client, report).status_code == status


def test_o7_report_nav_entry_for_leaders_and_offices(client, chain):
    org = chain.org
    client.force_login(org.chief)
    # One 领导督导 entry in the top bar; the reports page is among its section links.
    assert "领导督导" in client.get(reverse("home")).content.decode()
    dashboard = client.get(reverse("leadership:dashboard")).content.decode()
    assert f'href="{reverse("leadership:reports")}"' in dashboard
    assert client.get(reverse("leadership:reports")).status_code == 200
    client.force_login(org.officer_a.user)
    assert "领导督导" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("leadership:reports")).status_code == 403


def test_o7_report_page_without_an_office_says_so(client, org):
    client.force_login(org.chief)  # LEADER at the city, which has no office here
    page = client.get(reverse("leadership:reports"))
    assert page.status_code == 200 and 'id="no-office"' in page.content.decode()
    assert client.post(reverse("leadership:report_request"), {}).status_code == 404


def test_o7_report_bad_input_is_not_a_500(client, chain):
    org = chain.org
    client.force_login(org.office_staff)
    home = reverse("leadership:reports")
    assert client.get(home, {"office": "abc", "day": "2026-13-45"}).status_code == 200
    assert client.get(home, {"office": chain.city_office.pk}).status_code == 404
    bad = {"office": chain.city_office.pk}
    assert client.post(reverse("leadership:report_request"), bad).status_code == 404
    assert client.post(reverse("leadership:bulletin_generate"), bad).status_code == 404


def test_o7_report_recusal_a_reader_never_gets_counts_about_themselves(client, chain):
    """A lead about the superior office's reader counts in 甲区's report (its requester may
    see it); the reader downloads the workbook rebuilt as they may see it."""
    org = chain.org
    put(org.campaign, org.court_a, {"ld.received": 3})
    about = chain.city_staff

    def hidden(user, campaign, unit, width):
        if user.pk != about.pk or not org.court_a.path.startswith(unit.path):
            return {}
        return {org.court_a.path[:width]: Counter({"ld.received": 1})}

    figures.register(figures.FigureSource(name="zz", compute=lambda *a: {}, hidden=hidden))
    try:
        report = request_report(client, org.office_staff, org.office_a)
        cell = book_of(download(client, report))["汇总"]
        assert (cell["F4"].value, cell["F6"].value) == (3, 3)  # 受理线索: the requester's view
        client.force_login(about)
        sheet = book_of(download(client, report))["汇总"]
        assert (sheet["F4"].value, sheet["F6"].value) == (2, 2)
        assert sheet["A1"].value == cell["A1"].value
    finally:
        figures._SOURCES.pop("zz", None)


def test_o7_report_superior_sees_an_earlier_period(client, chain):
    org = chain.org
    earlier = timezone.localdate() - dt.timedelta(days=14)
    client.force_login(org.office_staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("leadership:report_request"),
            {"office": org.office_a.pk, "day": earlier.isoformat()},
        )
    report = Report.objects.get()
    assert report.period_start == period_bounds("weekly", earlier)[0]
    svc.report_submit(report=report, actor=org.office_staff)
    client.force_login(chain.city_staff)
    home = reverse("leadership:reports")
    assert "0/2 已报送" in client.get(home).content.decode()
    assert "1/2 已报送" in client.get(home, {"day": earlier.isoformat()}).content.decode()
