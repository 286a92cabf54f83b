from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.services import escalate_flagged


class Command(BaseCommand):
    help = (
        "Escalate untouched and overdue leads up the responsibility chain (L10); the same "
        "core as the nightly task leads.tasks.leads_escalate_overdue (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, date: str | None = None, **options) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("--date 须为 YYYY-MM-DD") from exc
        count = escalate_flagged(today)
        self.stdout.write(f"新增逾期上报 {count} 条")
