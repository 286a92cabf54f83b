"""Issue 10, real office ledgers: a district's workbook as offices keep it (title rows, a
two-level merged header, footer lines, their own words for units, people, statuses and
channels) imports completely through the preview, every remap shown before storing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from leads.ledger import COLUMNS, DATE_IN_FUTURE, HANDLER_NOT_IN_REGISTER, import_ledger
from leads.models import Lead, LeadEvent, LeadImportVocabulary
from rectify.models import UnitKind
from tests.factories import UnitFactory
from tests.leads.test_l5_ledger_import import canonical_xlsx, row

pytestmark = pytest.mark.django_db

HEADER_TOP = [
    "序号",
    "线索编号",
    "收到日期",
    "线索来源",
    "反映人",
    "被反映人",
    None,
    "反映的主要问题",
    "问题类别",
    "承办单位",
    "承办人",
    "办结时限",
    "办理情况",
    "处理结果",
    "备注",
]
HEADER_SUB = [None, None, None, None, None, "姓名", "工作单位", *[None] * 8]


def real_ledger_xlsx(today: dt.date) -> bytes:
    """A district ledger with every class of variation issue 10 lists."""
    d = (today - dt.timedelta(days=60)).isoformat()
    due = (today + dt.timedelta(days=30)).strftime("%Y年%m月%d日")
    wb = Workbook()
    ws = wb.active
    ws.title = "2021年线索"
    ws.append(["甲区政法队伍教育整顿问题线索管理台账"])
    ws.merge_cells("A1:O1")
    ws.append(["填报单位：甲区教育整顿办", None, None, None, None, None, None, None, "单位：条"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    ws.merge_cells("F3:G3")
    rows = [
        # short name of a long unit, a handler not in the register, 未办理, 办结时限 column
        [
            1,
            "甲区-R-01",
            d,
            "举报电话",
            "匿名",
            "张三",
            "开发区公安分局",
            "反映张三违规插手案件",
            "干预司法",
            "开发区 公安分局",
            "王不在册",
            due,
            "未办理",
            "",
            "群众来电",
        ],
        # alias of a unit, 待办, a channel word mapped with a shown remap (信访件)
        [
            2,
            "甲区-R-02",
            d,
            "信访件",
            "钱某",
            "李四",
            "甲法院",
            "反映李四经商办企业",
            "经商办企业",
            "DA-POL",
            "孙承办",
            due,
            "待办",
            "",
            "",
        ],
        # the discipline commission as the handling body: a transfer
        [
            3,
            "甲区-R-03",
            d,
            "来信",
            "匿名",
            "路人乙",
            "",
            "反映路人乙充当保护伞",
            "保护伞",
            "区纪工委",
            "",
            "",
            "已移送",
            "",
            "",
        ],
        # an office's own status word (configured), conclusion read from the result
        [
            4,
            "甲区-R-04",
            d,
            "12337举报平台",
            "匿名",
            "周某",
            "",
            "反映周某违规借贷",
            "借贷",
            "甲区公安分局",
            "孙承办",
            due,
            "研究中",
            "",
            "",
        ],
        # a status word nobody knows: kept and warned, never refused
        [
            5,
            "甲区-R-05",
            d,
            "举报电话",
            "匿名",
            "吴某",
            "",
            "反映吴某打听案情",
            "其他",
            "",
            "",
            "",
            "挂起观察",
            "",
            "",
        ],
    ]
    for r in rows:
        ws.append(r)
    ws.append([])
    ws.append(["填表人：张某", None, None, "审核人：李某", None, None, "联系电话：0335-1234567"])
    ws.append(["填表日期：2021年5月1日", None, None, "注：本表一式两份"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def ledger_office(org):
    UnitFactory(
        parent=org.district_a,
        code="DA-EDZ",
        name="秦皇岛经济技术开发区公安分局",
        kind=UnitKind.POLICE,
    )
    org.court_a.aliases = "甲法院、区法院"
    org.court_a.save()
    LeadImportVocabulary.objects.create(office=org.office_a, status_words={"研究中": "handling"})
    return org.office_a


def test_it_imports_a_real_office_ledger_completely_through_the_preview(
    org, channels, ledger_office
):
    data = real_ledger_xlsx(timezone.localdate())
    preview = import_ledger(upload=data, office=ledger_office, actor=org.intake, dry_run=True)
    assert preview.errors == [], [str(e) for e in preview.errors]
    shown = preview.preview()
    mapping = dict(shown["mapping"])
    assert mapping["反映的主要问题"] == "反映内容摘要"
    assert mapping["办结时限"] == "办理期限"
    assert mapping["被反映人/姓名"] == "被反映人"
    assert mapping["被反映人/工作单位"] == "被反映人单位"
    assert mapping["办理情况"] == "办理状态"
    assert set(shown["unrecognised"]) == {"序号", "备注"}
    assert [text for _row, text in shown["footer"]][0].startswith("填表人:张某")
    assert len(shown["footer"]) == 2
    remaps = {(r["column"], r["value"]): r["to"] for r in shown["remaps"]}
    assert remaps[("线索来源", "信访件")] == "举报信箱"
    assert remaps[("办理状态", "未办理")] == remaps[("办理状态", "待办")] == "待筛查"
    assert remaps[("办理状态", "研究中")] == "办理中"
    assert remaps[("承办单位", "开发区 公安分局")] == "秦皇岛经济技术开发区公安分局"
    assert remaps[("被反映人单位", "甲法院")] == "甲区法院"
    assert remaps[("承办单位", "DA-POL")] == "甲区公安分局"
    warnings = {(e.row, e.column): e.reason for e in preview.warnings}
    assert warnings[(5, "承办人")] == HANDLER_NOT_IN_REGISTER
    assert (9, "办理状态") in warnings
    assert Lead.objects.count() == 0  # the preview stored nothing

    result = import_ledger(upload=data, office=ledger_office, actor=org.intake)
    assert result.ok and result.created == 5
    one = Lead.objects.get(number="甲区-R-01")
    assert one.handling_unit.code == "DA-EDZ" and one.handler is None
    assert one.handler_text == "王不在册" and one.status == "registered"
    assert one.deadline == timezone.localdate() + dt.timedelta(days=30)
    kept = LeadEvent.objects.get(lead=one, data__import=True)
    assert kept.data["kept"] == {"序号": "1", "备注": "群众来电"}
    two = Lead.objects.get(number="甲区-R-02")
    assert two.channel.code == "mailbox" and two.subject_unit == org.court_a
    assert two.handler == org.handler and two.reporter_name == "钱某"
    three = Lead.objects.get(number="甲区-R-03")
    assert three.status == "transferred" and three.transfer_body == "区纪工委"
    assert three.handling_unit is None and three.transfer_date == three.received_date
    assert Lead.objects.get(number="甲区-R-04").status == "handling"
    five = Lead.objects.get(number="甲区-R-05")
    assert five.status == "registered"
    assert (
        LeadEvent.objects.get(lead=five, data__import=True).data["kept"]["办理状态"] == "挂起观察"
    )
    again = import_ledger(upload=data, office=ledger_office, actor=org.intake)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_it_refuses_a_received_date_in_the_future(org, channels):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = canonical_xlsx(
        [[row("F-1")[0], "2099-01-01", *row("F-1")[2:]], [row("F-2")[0], tomorrow, *row("F-2")[2:]]]
    )
    result = import_ledger(upload=data, office=org.office_a, actor=org.intake)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "受理日期", DATE_IN_FUTURE),
        (3, "受理日期", DATE_IN_FUTURE),
    ]
    assert Lead.objects.count() == 0


def test_it_offers_a_template_with_the_canonical_columns(client, org):
    client.force_login(org.intake)
    assert reverse("leads:import_template") in client.get(reverse("leads:import")).content.decode()
    response = client.get(reverse("leads:import_template"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["线索台账"]
    assert list(next(sheet.iter_rows(values_only=True))) == COLUMNS


def test_the_command_dry_run_prints_the_preview(org, channels, ledger_office, tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(real_ledger_xlsx(timezone.localdate()))
    call_command("import_leads", str(path), "--office", "甲区", "--dry-run", "--user", "intake_a")
    out = capsys.readouterr().out
    assert "办结时限 → 办理期限" in out
    assert "未识别的列" in out and "序号" in out
    assert "[线索来源] 信访件 → 举报信箱" in out
    assert "表尾 第11行" in out
    assert HANDLER_NOT_IN_REGISTER in out
    assert "（试运行，未保存）线索：新增 5" in out and Lead.objects.count() == 0


def test_it_reimports_an_exported_handler_kept_as_text_unchanged(org, channels):
    from leads.ledger import lead_row

    data = canonical_xlsx([row("H-1", handler="王不在册")])
    assert import_ledger(upload=data, office=org.office_a, actor=org.intake).created == 1
    lead = Lead.objects.get(number="H-1")
    again = canonical_xlsx([lead_row(lead, reveal_reporter=True)])
    result = import_ledger(upload=again, office=org.office_a, actor=org.intake, dry_run=True)
    assert (result.updated, result.unchanged) == (0, 1), result.preview()["rows"]


def test_it_reads_an_offices_own_status_result_and_channel_words(client, org, channels):
    from django.core.exceptions import ValidationError

    vocab = LeadImportVocabulary(
        office=org.office_a,
        status_words={"结了": "concluded"},
        result_words={"情况不实": "unfounded"},
        channel_words={"转来件": "petition_review"},
    )
    vocab.full_clean()
    vocab.save()
    data = canonical_xlsx([[*row("W-1")[:2], "转来件", *row("W-1")[3:11], "结了", "经查情况不实"]])
    result = import_ledger(upload=data, office=org.office_a, actor=org.intake)
    assert result.ok and result.warnings == []
    lead = Lead.objects.get(number="W-1")
    assert (lead.status, lead.conclusion, lead.channel.code) == (
        "concluded",
        "unfounded",
        "petition_review",
    )
    remaps = {(r["column"], r["value"]) for r in result.preview()["remaps"]}
    assert {("办理状态", "结了"), ("办理结论", "经查情况不实"), ("线索来源", "转来件")} <= remaps
    with pytest.raises(ValidationError):
        LeadImportVocabulary(office=org.office_b, status_words={"x": "flying"}).full_clean()
    client.force_login(org.admin)
    url = reverse("admin:leads_leadimportvocabulary_change", args=[vocab.pk])
    assert client.get(url).status_code == 200


def test_it_warns_of_a_past_deadline_on_an_open_lead(org, channels):
    from leads.ledger import DEADLINE_PAST

    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    open_row = row("P-1")
    open_row[10] = past
    done_row = row("P-2", status="已办结")
    done_row[10] = past
    result = import_ledger(
        upload=canonical_xlsx([open_row, done_row]),
        office=org.office_a,
        actor=org.intake,
        dry_run=True,
    )
    assert result.ok
    assert [(e.row, e.column, e.reason) for e in result.warnings] == [
        (2, "办理期限", DEADLINE_PAST)
    ]
