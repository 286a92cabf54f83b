"""Workbooks built in code for the import tests (pretix's inputfile_factory idea)."""

from __future__ import annotations

import io

from openpyxl import Workbook


def messy_org_workbook(*, extra_unit_rows=(), extra_officer_rows=(), officers=None) -> bytes:
    """Units and officers the way offices really send them: a title row, a two-row merged
    header, full-width characters, stray spaces, 是/否, sheet names that mean nothing."""
    wb = Workbook()
    units = wb.active
    units.title = "Sheet1"
    units.append(["秦皇岛市政法单位名录（2021年4月）"])
    units.merge_cells("A1:E1")
    units.append(["单位代码", "单位名称", "单位类别 ", "上级单位代码", "层 级"])
    rows = [
        ["ＨＢ", " 河北省 ", "地区", "", "省级"],
        ["QHD", "秦皇岛市", "地区", "HB", "市级"],
        ["QHD-KFQ", "秦皇岛经济技术开发区", "地区", "QHD", "区县级"],
        ["QHD－KFQ－GA", "开发区公安分局", "公安分局", "QHD-KFQ", "县区级"],
        ["QHD-KFQ-GA-01", "开发区城区派出所", "派出所", "QHD-KFQ-GA", "基层"],
        ["QHD-KFQ-FY", "开发区人民法院", "法院", "QHD-KFQ", "县区级"],
        *extra_unit_rows,
    ]
    for row in rows:
        units.append(row)
    units.append([])
    units.append(["填表说明：单位代码全省唯一"])

    people = wb.create_sheet("人员")
    people.append(["干警名册"])
    people.merge_cells("A1:E1")
    people.append(["基本信息", None, "任职情况", None, None])
    people.merge_cells("A2:B2")
    people.merge_cells("C2:E2")
    people.append(["警号", "姓　名", "单位代码", "职务", "是否领导干部"])
    default_officers = [
        ["０１０００１", "王　伟", "QHD-KFQ-GA", "局长", "是"],
        ["010002", " 李娜 ", "QHD-KFQ-GA-01", "民警", "否"],
        ["010003", "张敏", "QHD-KFQ-FY", "审判员", ""],
    ]
    for row in officers if officers is not None else default_officers:
        people.append(row)
    for row in extra_officer_rows:
        people.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOLDEN_ORG = "tests/fixtures/xlsx/org_messy.xlsx"

if (
    __name__ == "__main__"
):  # regenerate the committed golden file: python -m tests.rectify.xlsx_builders
    from pathlib import Path

    Path(GOLDEN_ORG).write_bytes(messy_org_workbook())
    print(f"wrote {GOLDEN_ORG}")
