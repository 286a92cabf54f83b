from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.ledger import ImportResult, import_ledger
from rectify.excel import ExcelError
from rectify.models import Office, User


def preview_lines(result: ImportResult) -> list[str]:
    """The web preview as text: mapping, unrecognised columns, footer, remaps, per row."""
    data = result.preview()
    lines = [f"工作表“{data['sheet']}”，表头在第 {data['header_row']} 行", "列对应："]
    lines += [f"  {header} → {column}" for header, column in data["mapping"]]
    if data["unrecognised"]:
        lines.append("未识别的列（原文保留在导入记录中）：" + "、".join(data["unrecognised"]))
    for row, text in data["footer"]:
        lines.append(f"表尾 第{row}行（不导入）：{text}")
    lines += data["notes"]
    if data["remaps"]:
        lines.append("值的转换：")
        lines += [
            f"  [{r['column']}] {r['value']} → {r['to']}（{len(r['rows'])} 行）"
            for r in data["remaps"]
        ]
    actions = {"create": "新增", "update": "更新", "unchanged": "未变", "error": "错误"}
    for row in data["rows"]:
        if row["action"] == "unchanged" and not row["warnings"]:
            continue
        lines.append(f"第{row['row']}行 {row['number']}：{actions[row['action']]}")
        lines += [
            f"    {label}：{old or '（空）'} → {new or '（空）'}"
            for label, old, new in row["changes"]
        ]
        lines += [f"    错误 [{e['column']}] {e['value']} {e['reason']}" for e in row["errors"]]
        lines += [f"    警告 [{e['column']}] {e['value']} {e['reason']}" for e in row["warnings"]]
    return lines


class Command(BaseCommand):
    help = (
        "Import an office's existing lead ledger from an .xlsx (canonical columns 线索编号 … "
        "办理结果, synonyms accepted). Prints the preview (column mapping, unrecognised "
        "columns, remapped values, warnings and errors per row); stores nothing with "
        "--dry-run or when any row has an error; idempotent by 线索编号. Existing leads are "
        "touched only when --user may see and change them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .xlsx file")
        parser.add_argument("--office", required=True, help="the office's short name, e.g. 开发区")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the preview, store nothing"
        )
        parser.add_argument("--user", default="", help="username of the importer (scoping, audit)")

    def handle(
        self, *args, path: Path, office: str, dry_run: bool, user: str, **options: object
    ) -> None:
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        target = Office.objects.select_related("jurisdiction").filter(short_name=office).first()
        if target is None:
            names = "、".join(Office.objects.values_list("short_name", flat=True))
            raise CommandError(f"没有简称为“{office}”的办公室（现有：{names}）")
        actor = "manage.py import_leads"
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户 {user}")
        try:
            result = import_ledger(
                upload=path, office=target, actor=actor, dry_run=dry_run, filename=path.name
            )
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        for line in preview_lines(result):
            self.stdout.write(line)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据")
        prefix = "（试运行，未保存）" if dry_run else ""
        self.stdout.write(
            f"{prefix}线索：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，"
            f"警告 {len(result.warnings)}"
        )
