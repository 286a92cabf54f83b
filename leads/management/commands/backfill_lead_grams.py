from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from leads.rules.screening import backfill_grams


class Command(BaseCommand):
    help = "Rebuild the n-gram index of lead summaries used by smart screening (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options) -> None:
        count = backfill_grams(batch=batch)
        self.stdout.write(f"已重建 {count} 条线索的摘要索引")
