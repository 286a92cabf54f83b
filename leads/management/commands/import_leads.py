from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.importers import import_ledger
from rectify.excel import ExcelError
from rectify.models import Office, User


class Command(BaseCommand):
    help = (
        "Import an office's existing lead ledger from an .xlsx (canonical columns 线索编号 … "
        "办理结果, synonyms accepted). Validates every row first; writes all or nothing; "
        "idempotent by 线索编号."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .xlsx file")
        parser.add_argument("--office", required=True, help="the office's short name, e.g. 开发区")
        parser.add_argument("--dry-run", action="store_true", help="validate only, store nothing")
        parser.add_argument("--user", default="", help="username recorded as the importer")

    def handle(self, *args, path: Path, office: str, dry_run: bool, user: str, **options):
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
            result = import_ledger(upload=path, office=target, actor=actor, dry_run=dry_run)
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据")
        prefix = "（试运行，未保存）" if dry_run else ""
        self.stdout.write(
            f"{prefix}线索：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
        )
