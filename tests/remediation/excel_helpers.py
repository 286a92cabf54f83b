"""Workbooks the problem-list tests upload, built with openpyxl the way units fill them in."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook


def messy_workbook(rows: list[list[object]], *, footer: bool = True) -> bytes:
    """A unit's own list: a title row, a 填报单位 line, a two-row header merged over the
    cause and tag columns, full-width text, then a 合计 line and a 填报说明 footer.

    Each row: 编号, 单位, 问题类别, 问题描述, 类型, 热点, 堵点, 难点, 来源,
    理想信念, 宗旨意识, 党性修养, 纪律观念, 责任人, 完成时限, 措施, 状态."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["甲区公安分局顽瘴痼疾问题清单（第一批）"])
    ws.merge_cells("A1:Q1")
    ws.append(
        [
            "填报单位：甲区公安分局",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "填报时间：2026年3月1日",
        ]
    )
    top = ["编号", "单位", "问题类别", "问题描述", "问题类型", "问题标签", None, None, "问题来源"]
    top += ["成因分析", None, None, None, "责任人", "完成时限", "整改措施", "整改状态"]
    ws.append(top)
    ws.append([None, None, None, None, None, "热点", "堵点", "难点", None])
    ws.cell(4, 10, "理想信念")
    ws.cell(4, 11, "宗旨意识")
    ws.cell(4, 12, "党性修养")
    ws.cell(4, 13, "纪律观念")
    for col in ("A", "B", "C", "D", "E", "I", "N", "O", "P", "Q"):
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("F3:H3")
    ws.merge_cells("J3:M3")
    for row in rows:
        ws.append(row)
    if footer:
        ws.append(["合计", None, None, f"{len(rows)} 个问题"])
        ws.append(["填报说明：问题类别按六大顽瘴痼疾填写。"])
        ws.append(["填表人：李四", None, None, "联系电话：1234567"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(
    number: str,
    description: str,
    *,
    unit: str = "甲区公安分局",
    problem: str = "三个规定",
    kind: str = "多发性",
    tags: tuple[str, str, str] = ("√", "", ""),
    origin: str = "督导检查",
    causes: tuple[str, str, str, str] = ("理想信念动摇", "", "", ""),
    person: str = "",
    deadline: object = "2026年3月1日",
    measures: str = "",
    status: str = "",
) -> list[object]:
    return [
        number,
        unit,
        problem,
        description,
        kind,
        *tags,
        origin,
        *causes,
        person,
        deadline,
        measures,
        status,
    ]


def read_back(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
