"""manage.py import_problem_list <file.xlsx> --unit <code or name> --user <username>
[--dry-run]: the web import without the browser (same service, same checks, same audit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from rectify.excel import ExcelError, report_import
from rectify.models import Unit, User

from ...services.list_import import ProblemListResult, import_problem_list

ACTIONS = {"create": "新增", "update": "更新", "unchanged": "未变", "error": "错误"}


def preview_lines(result: ProblemListResult) -> list[str]:
    """The web preview as text: mapping, unrecognised columns, footer, each changed row."""
    data = result.preview()
    lines = [f"工作表“{data['sheet']}”，表头在第 {data['header_row']} 行", "列对应："]
    lines += [f"  {header} → {column}" for header, column in data["mapping"]]
    if data["unrecognised"]:
        lines.append("未识别的列（不导入）：" + "、".join(data["unrecognised"]))
    lines += [f"表尾 第{row}行（不导入）：{text}" for row, text in data["footer"]]
    for row in data["rows"]:
        if row["action"] == "unchanged" and not row["warnings"]:
            continue
        lines.append(
            f"第{row['row']}行 {row['number'] or '（自动编号）'}：{ACTIONS[row['action']]}"
        )
        lines += [
            f"    {label}：{old or '（空）'} → {new or '（空）'}"
            for label, old, new in row["changes"]
        ]
        lines += [f"    警告 {w}" for w in row["warnings"]]
    return lines


class Command(BaseCommand):
    help = (
        "Import a unit's problem list (问题清单) from an .xlsx into the subtree of --unit, as "
        "--user (an office member of that unit's jurisdiction). Prints the preview; stores "
        "nothing with --dry-run or when any row has an error; idempotent by 问题编号."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .xlsx file")
        parser.add_argument("--unit", required=True, help="unit code, name or alias (the scope)")
        parser.add_argument("--user", required=True, help="username of the importer")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the preview, store nothing"
        )

    def handle(
        self, *args: Any, path: Path, unit: str, user: str, dry_run: bool, **opts: Any
    ) -> None:
        if not path.is_file():
            raise CommandError(f"没有这个文件：{path}")
        units = list(
            Unit.objects.filter(Q(code=unit) | Q(name=unit) | Q(aliases__contains=unit))[:2]
        )
        exact = [u for u in units if unit in (u.code, u.name)]
        units = exact or units
        if len(units) != 1:
            raise CommandError(f"找不到唯一的单位“{unit}”（可填单位代码或全称）")
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"没有用户 {user}")
        try:
            result = import_problem_list(
                upload=path, root=units[0], actor=actor, dry_run=dry_run, filename=path.name
            )
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        for line in preview_lines(result):
            self.stdout.write(line)
        report_import(self, result)
