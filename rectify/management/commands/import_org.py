from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.excel import ExcelError, report_import
from rectify.importers import import_org


class Command(BaseCommand):
    help = (
        "Import units and officers from an .xlsx (a units sheet and an officers sheet, found by "
        "their headers). Validates every row first; writes all or nothing; idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, store nothing")
        parser.add_argument(
            "--create-accounts",
            action="store_true",
            help="create a login (username = number) for officers without one",
        )
        parser.add_argument(
            "--initial-password",
            default="",
            help="initial password for created accounts (changed at first login); "
            "random and printed once when omitted",
        )

    def handle(
        self,
        *args,
        path: Path,
        dry_run: bool,
        create_accounts: bool,
        initial_password: str,
        **options,
    ) -> None:
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            result = import_org(
                upload=path,
                actor="manage.py import_org",
                dry_run=dry_run,
                create_accounts=create_accounts,
                initial_password=initial_password,
            )
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        report_import(self, result)
