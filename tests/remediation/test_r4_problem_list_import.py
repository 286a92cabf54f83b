"""R4 (and R1–R3 through the columns): a unit's problem list comes in from Excel through the
shared pipeline — preview with errors per row, confirm in one transaction through the item
services, idempotent by 问题编号 — and the ledger goes out in the layout it reads back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from rectify.models import AuditEvent, Role, User
from remediation.models import Item, ItemStatus, ListImportStatus, Measure, ProblemListImport
from remediation.services.list_import import import_problem_list
from remediation.services.list_jobs import list_import_confirm, list_import_create
from tests.factories import ItemFactory, PlanFactory, grant

from .excel_helpers import messy_workbook, read_back, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    return PlanFactory(campaign=org.campaign, unit=org.police_a, title="甲区公安分局三个规定方案")


@pytest.fixture
def inaction_plan(org):
    return PlanFactory(
        campaign=org.campaign, unit=org.police_a, problem="inaction", title="有案不立整治方案"
    )


def _messy(org):
    return messy_workbook(
        [
            row(
                "ＺＧ-甲-001",  # full-width letters: folded
                "民警违规过问他人案件",
                person="周局长",
                deadline="２０２６年３月１日",  # full-width digits
                measures="1. 开展“三个规定”专题教育\n2. 建立过问案件登记台账",
                causes=("理想信念动摇", "宗旨意识淡薄", "", "纪律观念不强"),
            ),
            row(
                "ZG-甲-002",
                "压案不查问题",
                unit="一派出所",  # short name: the end of 甲区一派出所
                problem="有案不立、压案不查、有罪不究",
                kind="顽固性",
                tags=("", "√", "是"),
                origin="群众反映",
                person="A002",
                deadline=dt.date(2026, 4, 30),
                measures="（1）逐案复查",
                status="整改中",
            ),
        ]
    )


def test_r4_messy_workbook_previews_then_confirm_creates_items_and_measures(
    org, plan, inaction_plan
):
    content = _messy(org)
    preview = import_problem_list(
        upload=content, root=org.district_a, actor=org.office_staff, dry_run=True
    )
    assert preview.ok, [str(e) for e in preview.errors]
    assert preview.header_row == 4  # title and 填报单位 rows skipped; two header rows merged
    assert preview.created == 2 and preview.measures == 3
    assert any("合计" in text for _row, text in preview.footer)
    assert any("填报说明" in text for _row, text in preview.footer)
    assert not Item.objects.exists()  # a preview stores nothing

    job = list_import_create(
        unit=org.district_a, actor=org.office_staff, filename="清单.xlsx", content=content
    )
    assert job.status == ListImportStatus.PREVIEW
    list_import_confirm(job=job, actor=org.office_staff)
    job.refresh_from_db()
    assert job.status == ListImportStatus.DONE and job.content == b""

    first = Item.objects.get(number="ZG-甲-001")
    assert first.plan == plan and first.unit == org.police_a
    assert first.deadline == dt.date(2026, 3, 1)
    assert first.kind == "frequent" and first.is_hotspot and not first.is_blocking
    assert first.cause_purpose == "宗旨意识淡薄" and first.cause_discipline == "纪律观念不强"
    assert first.responsible_person == org.unit_head
    assert [m.text for m in first.measures.order_by("id")] == [
        "开展“三个规定”专题教育",
        "建立过问案件登记台账",
    ]
    second = Item.objects.get(number="ZG-甲-002")
    assert second.plan == inaction_plan  # the station has no plan: its bureau's
    assert second.responsible_unit == org.station_a1
    assert second.is_blocking and second.is_difficulty and not second.is_hotspot
    assert second.origin == "public" and second.status == ItemStatus.IN_PROGRESS
    assert second.responsible_person == org.officer_a2
    # Audited through the item services, plus one import event.
    assert AuditEvent.objects.filter(action="remediation.item.created").count() == 2
    assert AuditEvent.objects.filter(action="remediation.measure.added").count() == 3
    assert AuditEvent.objects.filter(action="remediation.item.imported").count() == 1


def test_r4_preview_lists_errors_per_row_and_stores_nothing(org, plan):
    content = messy_workbook(
        [
            row("ZG-甲-010", "正常的问题"),
            row("ZG-甲-011", "类型不对", kind="偶发性"),
            row("ZG-甲-012", "日期不对", deadline="2026年13月1日"),
            row("ZG-甲-013", "单位不对", unit="丙区法院"),
            row("ZG-甲-014", "没有方案", problem="减刑假释"),
            row("ZG-甲-015", "非法状态", status="已验收"),
            row("ZG-甲-015", "重复编号"),
            row("ZG-甲-016", "找不到人", person="不存在的人"),
        ]
    )
    job = list_import_create(
        unit=org.district_a, actor=org.office_staff, filename="错.xlsx", content=content
    )
    assert job.status == ListImportStatus.FAILED and job.content == b""
    errors = {(e["row"], e["column"]) for e in job.errors if e["level"] == "error"}
    assert errors == {
        (6, "问题类型"),
        (7, "整改时限"),
        (8, "单位"),
        (9, "顽瘴痼疾"),
        (10, "状态"),
        (11, "问题编号"),
        (12, "责任人"),
    }
    assert not Item.objects.exists()
    client = _client(org)
    page = client.get(reverse("remediation:list_import_job", args=[job.pk]))
    text = page.content.decode()
    assert "验收须由办公室在问题页面" in text and "本文件中该问题编号重复" in text
    assert "确认导入" not in text


def test_r4_reimport_updates_the_same_item_and_is_idempotent(org, plan):
    content = _messy_single("ZG-甲-100", "初次描述", measures="措施一")
    import_problem_list(upload=content, root=org.district_a, actor=org.office_staff)
    again = import_problem_list(upload=content, root=org.district_a, actor=org.office_staff)
    assert again.unchanged == 1 and again.created == again.updated == 0
    assert Item.objects.count() == 1 and Measure.objects.count() == 1

    changed = _messy_single("ZG-甲-100", "修改后的描述", measures="措施一\n措施二")
    result = import_problem_list(upload=changed, root=org.district_a, actor=org.office_staff)
    assert result.updated == 1 and result.measures == 1
    item = Item.objects.get()
    assert item.description == "修改后的描述"
    assert list(item.measures.values_list("text", flat=True).order_by("id")) == ["措施一", "措施二"]
    assert ("问题描述", "初次描述", "修改后的描述") in result.plans[0].changes


def _messy_single(number, description, **kw):
    return messy_workbook([row(number, description, **kw)])


def test_r4_invisible_or_foreign_number_is_refused_like_an_unknown_one(org, plan):
    other_plan = PlanFactory(campaign=org.campaign, unit=org.court_b, title="乙区法院方案")
    hidden = ItemFactory(plan=other_plan, number="ZG-DB-COURT-2026-0001")
    about_me = ItemFactory(plan=plan, number="ZG-DA-POL-2026-0001")
    about_me.subjects.set([org.unit_head])
    content = messy_workbook(
        [
            row(hidden.number, "别人的问题"),
            row("ZG-DB-COURT-2026-0999", "别人编号体系的新号"),
        ]
    )
    result = import_problem_list(upload=content, root=org.district_a, actor=org.office_staff)
    reasons = {e.reason for e in result.errors}
    assert len(result.errors) == 2 and len(reasons) == 1  # one wording for both
    assert Item.objects.get(pk=hidden.pk).description != "别人的问题"
    # An item recused from the importer: the same refusal.
    grant(org.unit_head.user, Role.OFFICE, org.police_a)
    recused = import_problem_list(
        upload=messy_workbook([row(about_me.number, "改我自己的问题")]),
        root=org.police_a,
        actor=org.unit_head.user,
    )
    assert [e.reason for e in recused.errors] == list(reasons)


def test_r4_illegal_status_move_is_a_row_error(org, plan):
    item = ItemFactory(plan=plan, number="ZG-甲-200", status=ItemStatus.IN_PROGRESS)
    content = messy_workbook([row(item.number, item.description, status="待整改")])
    result = import_problem_list(upload=content, root=org.district_a, actor=org.office_staff)
    assert [(e.column, e.reason) for e in result.errors] == [
        ("状态", "状态不能从“整改中”改为“待整改”")
    ]


def test_r4_export_escapes_formulas_and_round_trips(org, plan):
    item = ItemFactory(
        plan=plan,
        number="ZG-甲-300",
        description='=HYPERLINK("http://x")',
        cause_ideals="+1",
        is_hotspot=True,
        responsible_person=org.handler,
    )
    Measure.objects.create(item=item, text="@SUM(A1)", deadline=item.deadline)
    Measure.objects.create(item=item, text="第二条措施", deadline=item.deadline)
    client = _client(org)
    response = client.get(reverse("remediation:ledger_export"), {"status": "open"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = read_back(content)
    assert rows[0][0] == "问题编号"
    exported = rows[1]
    assert exported[3] == '\'=HYPERLINK("http://x")' and exported[7] == "'+1"
    assert exported[14].startswith("'@SUM(A1)")
    assert AuditEvent.objects.filter(action="remediation.item.exported", verb="export").exists()
    # Round trip: the export (unescaped as Excel would show it) imports back unchanged.
    clean = _unescape(content)
    result = import_problem_list(upload=clean, root=org.district_a, actor=org.office_staff)
    assert result.ok, [str(e) for e in result.errors]
    assert result.unchanged == 1 and result.updated == 0 and result.created == 0


def _unescape(content: bytes) -> bytes:
    """What Excel keeps of an escaped cell: the text without its leading apostrophe
    (written here as a text cell, so openpyxl does not take it for a formula)."""
    rows = read_back(content)
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append([v[1:] if isinstance(v, str) and v.startswith("'") else v for v in r])
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_r4_export_only_visible_items(org, plan):
    mine = ItemFactory(plan=plan, number="ZG-甲-400")
    other = ItemFactory(
        plan=PlanFactory(campaign=org.campaign, unit=org.court_b), number="ZG-乙-400"
    )
    recused = ItemFactory(plan=plan, number="ZG-甲-401")
    recused.subjects.set([org.unit_head])
    client = _client(org, "head_a")
    numbers = {
        r[0]
        for r in read_back(
            b"".join(client.get(reverse("remediation:ledger_export")).streaming_content)
        )[1:]
    }
    assert numbers == {mine.number}
    assert other.number not in numbers


def test_r4_command_imports_and_dry_runs(org, plan, tmp_path, capsys):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(_messy_single("ZG-甲-500", "命令行导入的问题"))
    call_command(
        "import_problem_list", str(path), "--unit", "DA", "--user", "office_a", "--dry-run"
    )
    assert "试运行" in capsys.readouterr().out and not Item.objects.exists()
    call_command("import_problem_list", str(path), "--unit", "甲区", "--user", "office_a")
    assert Item.objects.filter(number="ZG-甲-500").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_messy_single("ZG-甲-501", "错", kind="随便"))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_problem_list", str(bad), "--unit", "DA", "--user", "office_a")
    with pytest.raises(CommandError):  # not an office member of that unit
        call_command("import_problem_list", str(path), "--unit", "DA", "--user", "outsider")


def test_r4_template_is_the_canonical_layout(org):
    client = _client(org)
    response = client.get(reverse("remediation:list_import_template"))
    rows = read_back(b"".join(response.streaming_content))
    assert rows[0][:3] == ("问题编号", "单位", "顽瘴痼疾")


def _rows(n: int, start: int = 0) -> list[list[object]]:
    return [
        row(f"ZG-批-{i:04d}", f"问题{i}", person="A002" if i % 2 else "周局长", measures="措施")
        for i in range(start, start + n)
    ]


def test_r4_preview_queries_do_not_grow_with_rows(org, plan):
    small, large = messy_workbook(_rows(20)), messy_workbook(_rows(500))
    import_problem_list(upload=small, root=org.district_a, actor=org.office_staff, dry_run=True)
    counts = []
    for content in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            result = import_problem_list(
                upload=content, root=org.district_a, actor=org.office_staff, dry_run=True
            )
        assert result.ok
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


def test_r4_500_row_import_stays_within_bounded_queries(org, plan):
    with CaptureQueriesContext(connection) as ctx:
        result = import_problem_list(
            upload=messy_workbook(_rows(500)), root=org.district_a, actor=org.office_staff
        )
    assert result.created == 500 and Measure.objects.count() == 500
    # The register is loaded once (no lookup per row); each row is then written through
    # the services the forms use (item_create and measure_add: a savepoint each, the unit
    # lock, the number check, two inserts, two chained audit events): 17 statements a row
    # today, 8 of them savepoints. A fixed cost per row, never a lookup per row.
    assert len(ctx.captured_queries) <= 20 + 500 * 18, len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as again:
        second = import_problem_list(
            upload=messy_workbook(_rows(500)), root=org.district_a, actor=org.office_staff
        )
    assert second.unchanged == 500 and len(again.captured_queries) <= 15


def test_r4_upload_views_preview_confirm_and_scope(org, plan):
    client = _client(org)
    upload = io.BytesIO(_messy_single("ZG-甲-600", "网页导入的问题"))
    upload.name = "清单.xlsx"
    response = client.post(
        reverse("remediation:list_import"), {"unit": org.district_a.pk, "file": upload}
    )
    job = ProblemListImport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("remediation:list_import_job", args=[job.pk])).content.decode()
    assert "确认导入" in page and "ZG-甲-600" in page
    # Another user cannot see or confirm the job: 404.
    other = _client(org, "outsider")
    assert other.get(reverse("remediation:list_import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("remediation:list_import_confirm", args=[job.pk])).status_code == 404
    client.post(reverse("remediation:list_import_confirm", args=[job.pk]))
    assert Item.objects.filter(number="ZG-甲-600").exists()
    # A second confirmation does nothing.
    client.post(reverse("remediation:list_import_confirm", args=[job.pk]))
    assert Item.objects.count() == 1
    # Not an .xlsx: a form error, not a 500.
    bad = io.BytesIO(b"not excel")
    bad.name = "清单.xls"
    response = client.post(
        reverse("remediation:list_import"), {"unit": org.district_a.pk, "file": bad}
    )
    assert response.status_code == 200 and ".xlsx" in response.content.decode()


def _client(org, username: str = "office_a"):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_r1_r2_r3_one_cause_column_and_one_tag_cell_are_read(org, plan):
    wb = Workbook()
    ws = wb.active
    ws.append(["问题编号", "单位", "顽瘴痼疾", "问题描述", "问题类型", "标签", "成因分析", "时限"])
    ws.append(
        [
            "ZG-甲-700",
            "甲区公安分局",
            "违反防止干预司法“三个规定”",
            "一列成因的问题",
            "典型性",
            "群众反映强烈的热点、影响“四化”建设的难点",
            "理想信念：信念不牢\n纪律观念：规矩意识差",
            "2026.6.30",
        ]
    )
    ws.append(
        ["ZG-甲-701", "甲区公安分局", "三个规定", "未分方面", "多发", "", "学习不够", "20260630"]
    )
    out = io.BytesIO()
    wb.save(out)
    result = import_problem_list(upload=out.getvalue(), root=org.district_a, actor=org.office_staff)
    assert result.created == 2
    assert {(w.row, w.column) for w in result.warnings} == {
        (2, "问题来源"),
        (3, "问题来源"),
        (3, "成因分析"),
    }
    item = Item.objects.get(number="ZG-甲-700")
    assert item.kind == "typical" and item.is_hotspot and item.is_difficulty
    assert not item.is_blocking
    assert item.cause_ideals == "信念不牢" and item.cause_discipline == "规矩意识差"
    assert Item.objects.get(number="ZG-甲-701").cause_ideals == "学习不够"
