"""Ledger import into the database: all or nothing, idempotent, bulk, command, dry run."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from leads.ledger import COLUMNS, import_ledger
from leads.models import Lead, LeadSubject
from rectify.models import AuditEvent
from tests.factories import LeadFactory
from tests.leads.test_l5_ledger_import_parsing import messy_ledger_xlsx

GOLDEN = Path(__file__).parent.parent / "fixtures" / "xlsx" / "leads_messy.xlsx"


def canonical_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(
    number, *, summary="反映某干警违规插手案件", status="在办", handler="", unit="", subjects=""
):
    return [
        number,
        "2021-04-03",
        "举报电话",
        "匿名",
        subjects,
        "",
        "干预司法",
        summary,
        unit,
        handler,
        "",
        status,
        "",
    ]


@pytest.mark.django_db
def test_it_imports_a_messy_ledger_matching_officers_units_and_channels(org, channels):
    result = import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = Lead.objects.get(number="甲区-2021-0001")
    assert first.received_date == dt.date(2021, 4, 3)
    assert first.channel.code == "mailbox"  # 来信
    assert (first.category, first.status) == ("business", "handling")
    assert first.reporter_anonymous
    assert first.handling_unit == org.police_a and first.handler == org.handler
    assert first.subject_unit == org.court_a
    subjects = {s.name: s.officer_id for s in first.subjects.all()}
    assert subjects == {"张三": org.officer_a.pk, "路人甲": None}  # register match / free text
    second = Lead.objects.get(number="甲区-2021-0002")
    assert second.channel.code == "online"
    assert second.reporter_name == "赵六" and not second.reporter_anonymous
    assert "赵六" not in second.reporter_name_enc  # encrypted at rest
    assert (second.status, second.result) == ("concluded", "查否")
    assert AuditEvent.objects.filter(action="leads.lead.imported").count() == 1


@pytest.mark.django_db
def test_l5_imported_concluded_leads_count_as_concluded_and_can_be_crossed_off(org, channels):
    from leads.selectors import ledger_figures
    from leads.services import lead_cross_off

    import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    handling = Lead.objects.get(number="甲区-2021-0001")
    concluded = Lead.objects.get(number="甲区-2021-0002")
    assert handling.concluded_at is None and handling.screened_at is not None
    assert concluded.concluded_at is not None and concluded.conclusion == "unfounded"
    fig = ledger_figures(org.intake)
    assert (fig.received, fig.concluded, fig.closure_rate) == (2, 1, 50.0)
    lead_cross_off(lead=concluded, actor=org.intake)
    concluded.refresh_from_db()
    assert concluded.status == "crossed_off" and concluded.crossed_off_at is not None


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing_and_changed_rows_are_updated(org, channels):
    import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    again = import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(action="leads.lead.imported").count() == 1
    data = canonical_xlsx([row("甲区-2021-0002", summary="改过的摘要", status="已办结")])
    changed = import_ledger(upload=data, office=org.office_a, actor=org.intake)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    assert Lead.objects.get(number="甲区-2021-0002").summary == "改过的摘要"
    assert Lead.objects.count() == 2


@pytest.mark.django_db
def test_any_bad_row_imports_nothing_and_every_error_is_reported(org, channels):
    # Issue 10 changed what an error is: only a row that cannot be stored. A handler not in
    # the register, a unit outside the jurisdiction and an unknown channel are warnings.
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = canonical_xlsx(
        [
            row("X-1"),
            row("X-2", handler="不存在的人", unit="甲区公安分局"),
            row("X-3", unit="乙区法院"),  # outside the office's jurisdiction
            [*row("X-4")[:2], "飞鸽传书", *row("X-4")[3:]],
            row(""),
            [row("X-6")[0], future, *row("X-6")[2:]],
            row("X-1"),
        ]
    )
    result = import_ledger(upload=data, office=org.office_a, actor=org.intake)
    assert {(e.row, e.column) for e in result.errors} == {
        (6, "线索编号"),
        (7, "受理日期"),
        (8, "线索编号"),
    }
    assert {(e.row, e.column) for e in result.warnings} == {
        (3, "承办人"),
        (4, "承办单位"),
        (5, "线索来源"),
    }
    assert Lead.objects.count() == 0
    assert not AuditEvent.objects.filter(action="leads.lead.imported").exists()


@pytest.mark.django_db
def test_it_refuses_a_number_that_belongs_to_another_office(org, channels):
    LeadFactory(number="X-1", office=org.office_b, summary="乙区的线索")
    result = import_ledger(upload=canonical_xlsx([row("X-1")]), office=org.office_a, actor=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "线索编号")]


@pytest.mark.django_db
def test_dry_run_validates_but_stores_nothing(org, channels):
    result = import_ledger(
        upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake, dry_run=True
    )
    assert result.ok and result.created == 2
    assert Lead.objects.count() == 0 and LeadSubject.objects.count() == 0


@pytest.mark.django_db
def test_it_uses_a_constant_number_of_queries_whatever_the_rows(org, channels):
    def run(n, prefix):
        data = canonical_xlsx(
            [
                row(f"{prefix}-{i}", subjects="张三、李四", unit="甲区公安分局", handler="孙承办")
                for i in range(n)
            ]
        )
        with CaptureQueriesContext(connection) as ctx:
            result = import_ledger(upload=data, office=org.office_a, actor=org.intake)
        assert result.ok and result.created == n, [str(e) for e in result.errors]
        return len(ctx.captured_queries)

    small, large = run(5, "S"), run(150, "L")
    # Bulk inserts are split into batches by the database's parameter limit (SQLite: 999),
    # so a few more queries for 30x the rows — never one (or more) per row.
    assert large <= small + 10


@pytest.mark.django_db
def test_the_command_imports_the_golden_file_and_supports_dry_run(org, channels, capsys):
    call_command("import_leads", str(GOLDEN), "--office", "甲区", "--dry-run")
    assert Lead.objects.count() == 0
    call_command("import_leads", str(GOLDEN), "--office", "甲区", "--user", "intake_a")
    out = capsys.readouterr().out
    assert "新增 2" in out and Lead.objects.count() == 2
    event = AuditEvent.objects.get(action="leads.lead.imported")
    assert event.actor == org.intake
    with pytest.raises(CommandError, match="没有简称"):
        call_command("import_leads", str(GOLDEN), "--office", "不存在")
