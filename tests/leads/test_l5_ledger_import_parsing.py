"""Pure parsing of messy lead ledgers (no leads models needed)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from leads.ledger import map_category, map_status, read_workbook, split_names


def messy_ledger_xlsx() -> bytes:
    """Title row, a two-row merged header, synonyms, Chinese/serial dates, full-width, spaces."""
    wb = Workbook()
    ws = wb.active
    ws.title = "线索台账"
    ws.append(["甲区政法队伍教育整顿问题线索台账"])
    ws.merge_cells("A1:M1")
    ws.append(
        [
            "编号",
            "收到日期",
            "渠道",
            "举报人",
            "被反映人",
            None,
            "问题类别",
            "主要问题",
            "承办单位",
            "承办人",
            "办结期限",
            "办理情况",
            "处理结果",
        ]
    )
    ws.append([None, None, None, None, "姓名", "单位", None, None, None, None, None, None, None])
    ws.merge_cells("E2:F2")
    ws.append(
        [
            "甲区-2021-0001",
            "2021年4月3日",
            "来信",
            "匿名",
            "张三、路人甲",
            "甲区法院",
            "违规经商办企业",
            " 反映张三 配偶经营  KTV ",
            " 甲区公安分局",
            "孙承办",
            "2021.5.3",
            "正在核查",
            "",
        ]
    )
    ws.append(
        [
            "甲区－２０２１－０００２",
            44300,
            "１２３３７举报平台",
            "赵六",
            "孙七",
            "",
            "干预司法",
            "打听案情",
            "",
            "",
            None,
            "已办结",
            "查否",
        ]
    )
    ws.append(["注：本表由办公室填写"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_it_reads_title_rows_merged_headers_synonyms_and_dates():
    parsed = read_workbook(messy_ledger_xlsx())
    assert parsed.errors == []
    first, second = parsed.rows
    assert first.number == "甲区-2021-0001"
    assert first.received_date == dt.date(2021, 4, 3)
    assert first.deadline == dt.date(2021, 5, 3)
    assert first.subjects == ["张三", "路人甲"]
    assert first.subject_unit == "甲区法院"
    assert (first.handling_unit, first.handler) == ("甲区公安分局", "孙承办")
    assert first.summary == "反映张三 配偶经营 KTV"
    assert (first.category, first.status, first.reporter_anonymous) == (
        "business",
        "handling",
        True,
    )
    assert second.number == "甲区-2021-0002"  # full-width folded
    assert second.received_date == dt.date(2021, 4, 14)  # Excel serial
    assert (second.category, second.status, second.reporter) == (
        "interference",
        "concluded",
        "赵六",
    )


def test_it_reports_every_bad_row_with_column_and_reason():
    wb = Workbook()
    ws = wb.active
    ws.append(["线索编号", "受理日期", "反映内容摘要", "办理状态", "问题类别"])
    ws.append(["A-1", "2021年13月3日", "x", "在办", "其他"])
    ws.append(["A-1", "2021-04-03", "", "飞了", "外星人"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_workbook(buf.getvalue())
    found = {(e.row, e.column) for e in parsed.errors}
    assert found == {(2, "受理日期"), (3, "线索编号"), (3, "反映内容摘要")}
    # Unknown words are kept and warned, not refused (issue 10).
    assert {(e.row, e.column) for e in parsed.warnings} == {(3, "办理状态"), (3, "问题类别")}


def test_it_maps_status_and_category_synonyms():
    assert map_status("暂存") == map_status("暂存待查") == "held"
    assert map_status(" 移送纪委 ") == map_status("已移交") == "transferred"
    assert map_status("已了结") == "closed"
    assert map_category("违规经商办企业（配偶）") == "business"
    assert map_category("黑恶势力“保护伞”") == "umbrella"
    assert split_names("王伟，李娜, 王伟 / 赵六") == ["王伟", "李娜", "赵六"]


def test_it_refuses_cells_longer_than_the_field_that_stores_them():
    """A 101-character subject or a 5,001-character summary is a row error with its limit,
    never cut and never a database error (PostgreSQL refuses an over-long varchar)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["线索编号", "受理日期", "反映内容摘要", "被反映人", "承办人"])
    ws.append(["A-1", "2021-04-03", "x" * 5001, "张三", "孙承办"])
    ws.append(["A-2", "2021-04-03", "摘要", "张三、" + "长" * 101, "承" * 101])
    ws.append(["A-3", "2021-04-03", "x" * 5000, "李" * 100, "承" * 100])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_workbook(buf.getvalue())
    found = {(e.row, e.column): e.reason for e in parsed.errors}
    assert found == {
        (2, "反映内容摘要"): "最多5000字，现为5001字",
        (3, "被反映人"): "最多100字，现为101字",
        (3, "承办人"): "最多100字，现为101字",
    }
