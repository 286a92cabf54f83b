"""The organisation workbook (units and officers): its columns, vocabulary and row types,
and the parsing and validation of both sheets before anything is written (pure, except that
`validate` reads which unit codes already exist). rectify.importers writes what passes."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from .excel import (
    ExcelError,
    RowError,
    SheetRows,
    clean_text,
    find_header,
    iter_sheet_rows,
    open_workbook,
    parse_bool,
    read_sheet,
)
from .models import Unit, UnitKind, UnitLevel

if TYPE_CHECKING:
    pass


UNIT_COLUMNS = {
    "单位代码": ["代码", "单位编码", "机构代码", "编码", "单位编号"],
    "单位名称": ["名称", "单位", "机构名称", "单位全称"],
    "单位类别": ["类别", "类型", "单位类型", "机构类别"],
    "上级单位代码": ["上级代码", "上级单位编码", "上级单位", "父单位代码", "上级编码"],
    "层级": ["级别", "单位层级", "单位级别"],
}
OFFICER_COLUMNS = {
    "警号/工号": ["警号", "工号", "警号工号", "人员编号", "编号"],
    "姓名": ["名字", "干警姓名"],
    "单位代码": ["所在单位代码", "单位编码", "所属单位代码"],
    "职务": ["职位", "岗位", "现任职务"],
    "是否领导干部": ["领导干部", "是否为领导干部", "领导干部是否"],
}
UNIT_REQUIRED = ("单位代码", "单位名称", "单位类别", "层级")
OFFICER_REQUIRED = ("警号/工号", "姓名", "单位代码")

KIND_WORDS = {
    "政法委": UnitKind.COMMITTEE,
    "党委政法委": UnitKind.COMMITTEE,
    "政法委员会": UnitKind.COMMITTEE,
    "法院": UnitKind.COURT,
    "人民法院": UnitKind.COURT,
    "检察院": UnitKind.PROCURATORATE,
    "人民检察院": UnitKind.PROCURATORATE,
    "公安": UnitKind.POLICE,
    "公安局": UnitKind.POLICE,
    "公安分局": UnitKind.POLICE,
    "司法局": UnitKind.JUSTICE,
    "司法行政": UnitKind.JUSTICE,
    "监狱": UnitKind.PRISON,
    "派出所": UnitKind.STATION,
    "庭": UnitKind.DIVISION,
    "审判庭": UnitKind.DIVISION,
    "地区": UnitKind.REGION,
    "党委/地区": UnitKind.REGION,
    "行政区": UnitKind.REGION,
    "区域": UnitKind.REGION,
    "其他": UnitKind.OTHER,
}
LEVEL_WORDS = {
    "省级": UnitLevel.PROVINCE,
    "省": UnitLevel.PROVINCE,
    "市级": UnitLevel.CITY,
    "市": UnitLevel.CITY,
    "地市级": UnitLevel.CITY,
    "县区级": UnitLevel.DISTRICT,
    "区县级": UnitLevel.DISTRICT,
    "县级": UnitLevel.DISTRICT,
    "区级": UnitLevel.DISTRICT,
    "县区": UnitLevel.DISTRICT,
    "区县": UnitLevel.DISTRICT,
    "基层": UnitLevel.SUBUNIT,
    "基层单位": UnitLevel.SUBUNIT,
    "科所队": UnitLevel.SUBUNIT,
}
for _choice in UnitKind:
    KIND_WORDS.setdefault(str(_choice.label), _choice)
    KIND_WORDS.setdefault(_choice.value, _choice)
for _choice in UnitLevel:
    LEVEL_WORDS.setdefault(str(_choice.label), _choice)
    LEVEL_WORDS.setdefault(_choice.value, _choice)


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    level: str
    parent_code: str


@dataclass
class OfficerRow:
    row: int
    number: str
    name: str
    unit_code: str
    position: str
    is_leading_cadre: bool


# --- parsing ----------------------------------------------------------------------


def _sheet_kind(rows: list[tuple[Any, ...]]) -> str | None:
    _, unit_cols = find_header(rows, UNIT_COLUMNS)
    _, officer_cols = find_header(rows, OFFICER_COLUMNS)
    if all(c in officer_cols for c in OFFICER_REQUIRED) and "姓名" in officer_cols:
        return "officers"
    if all(c in unit_cols for c in ("单位代码", "单位名称")) and (
        "单位类别" in unit_cols or "层级" in unit_cols
    ):
        return "units"
    return None


def parse_workbook(upload: Any) -> tuple[SheetRows | None, SheetRows | None]:
    """The units sheet and the officers sheet (either may be absent). Raises ExcelError."""
    workbook = open_workbook(upload)
    units = officers = None
    try:
        for worksheet in workbook.worksheets:
            head = list(islice(iter_sheet_rows(worksheet), 15))
            kind = _sheet_kind(head)
            if kind == "units" and units is None:
                units = read_sheet(worksheet, UNIT_COLUMNS, required=UNIT_REQUIRED)
            elif kind == "officers" and officers is None:
                officers = read_sheet(worksheet, OFFICER_COLUMNS, required=OFFICER_REQUIRED)
    finally:
        workbook.close()
    if units is None and officers is None:
        raise ExcelError(
            "未找到单位表或干警表：请检查表头（单位代码、单位名称、单位类别、层级；"
            "警号/工号、姓名、单位代码、职务、是否领导干部）"
        )
    return units, officers


def _code(value: Any) -> str:
    return clean_text(value).replace(" ", "").upper()


def validate(
    units: SheetRows | None, officers: SheetRows | None
) -> tuple[list[UnitRow], list[OfficerRow], list[RowError]]:
    errors: list[RowError] = []
    unit_rows: list[UnitRow] = []
    officer_rows: list[OfficerRow] = []
    if units is not None:
        seen: dict[str, int] = {}
        for row_no, values in units.rows:
            row_errors = len(errors)
            code = _code(values.get("单位代码"))
            name = clean_text(values.get("单位名称"))
            kind_text = clean_text(values.get("单位类别")).replace(" ", "")
            level_text = clean_text(values.get("层级")).replace(" ", "")

            def err(column: str, value: Any, reason: str, _row: int = row_no) -> None:
                errors.append(RowError(units.sheet, _row, column, value, reason))

            if not code:
                err("单位代码", values.get("单位代码"), "不能为空")
            elif code in seen:
                err("单位代码", code, f"与第{seen[code]}行重复")
            if not name:
                err("单位名称", values.get("单位名称"), "不能为空")
            kind = KIND_WORDS.get(kind_text)
            if kind is None:
                err(
                    "单位类别",
                    values.get("单位类别"),
                    "无法识别（可填：政法委、法院、检察院、公安、司法局、监狱、派出所、庭、其他）",
                )
            level = LEVEL_WORDS.get(level_text)
            if level is None:
                err("层级", values.get("层级"), "无法识别（可填：省级、市级、县区级、基层）")
            if len(errors) == row_errors:
                seen[code] = row_no
                unit_rows.append(
                    UnitRow(row_no, code, name, kind, level, _code(values.get("上级单位代码")))
                )
        errors.extend(_check_parents(units.sheet, unit_rows))
    known_units = {u.code for u in unit_rows}
    if officers is not None:
        wanted = {_code(v.get("单位代码")) for _, v in officers.rows} - known_units
        known_units |= set(Unit.objects.filter(code__in=wanted).values_list("code", flat=True))
        seen_numbers: dict[str, int] = {}
        for row_no, values in officers.rows:
            row_errors = len(errors)

            def err(column: str, value: Any, reason: str, _row: int = row_no) -> None:
                errors.append(RowError(officers.sheet, _row, column, value, reason))

            number = _code(values.get("警号/工号"))
            name = clean_text(values.get("姓名")).replace(" ", "")
            unit_code = _code(values.get("单位代码"))
            if not number:
                err("警号/工号", values.get("警号/工号"), "不能为空")
            elif number in seen_numbers:
                err("警号/工号", number, f"与第{seen_numbers[number]}行重复")
            if not name:
                err("姓名", values.get("姓名"), "不能为空")
            if not unit_code:
                err("单位代码", values.get("单位代码"), "不能为空")
            elif unit_code not in known_units:
                err("单位代码", unit_code, "单位不存在（既不在单位表中，也不在系统中）")
            try:
                cadre = parse_bool(values.get("是否领导干部"))
            except ValueError as exc:
                err("是否领导干部", values.get("是否领导干部"), str(exc))
                cadre = False
            if len(errors) == row_errors:
                seen_numbers[number] = row_no
                officer_rows.append(
                    OfficerRow(
                        row_no, number, name, unit_code, clean_text(values.get("职务")), cadre
                    )
                )
    return unit_rows, officer_rows, errors


def _check_parents(sheet: str, rows: list[UnitRow]) -> list[RowError]:
    errors: list[RowError] = []
    in_file = {r.code: r for r in rows}
    missing = {r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file}
    in_db = set(Unit.objects.filter(code__in=missing).values_list("code", flat=True))
    for r in rows:
        if r.parent_code == r.code:
            errors.append(RowError(sheet, r.row, "上级单位代码", r.parent_code, "不能是自身"))
        elif r.parent_code and r.parent_code not in in_file and r.parent_code not in in_db:
            errors.append(RowError(sheet, r.row, "上级单位代码", r.parent_code, "上级单位不存在"))
    # Cycles in the tree as it would be after the import: file rows override the database
    # (a → b → a inside the file, or a unit moved under one of its own descendants).
    db_paths = dict(
        Unit.objects.filter(code__in=set(in_file) | {r.parent_code for r in rows}).values_list(
            "code", "path"
        )
    )
    step = Unit.steplen
    prefixes = {p[:i] for p in db_paths.values() for i in range(step, len(p), step)}
    code_at = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "code"))

    def parent_of(code: str) -> str:
        if code in in_file:
            return in_file[code].parent_code
        path = db_paths.get(code)
        if path is None:
            path = next((p for p, c in code_at.items() if c == code), "")
        return code_at.get(path[:-step], "") if len(path) > step else ""

    for r in rows:
        seen, parent, hops = {r.code}, r.parent_code, 0
        while parent and hops <= len(rows) + len(code_at) + 1:
            if parent in seen:
                errors.append(
                    RowError(sheet, r.row, "上级单位代码", r.parent_code, "上下级关系成环")
                )
                break
            seen.add(parent)
            parent, hops = parent_of(parent), hops + 1
    return errors
