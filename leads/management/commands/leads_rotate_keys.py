"""`python manage.py leads_rotate_keys [--dry-run] [--batch-size N]` (see leads.crypto)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.rotation import reporter_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt reporter names and contacts with the newest key in FIELD_ENCRYPTION_KEYS "
        "(idempotent). Run after putting a new key first; drop old keys only afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, write nothing"
        )
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")

    def handle(self, *args, dry_run: bool = False, batch_size: int = 500, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        result = reporter_keys_rotate(batch_size=batch_size, dry_run=dry_run)
        prefix = "dry run: " if dry_run else ""
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(
            f"{prefix}{result.leads} leads with reporter data; {verb} {result.rotated} values; "
            f"{result.current} already under the newest key; {result.unreadable} unreadable"
        )
        if result.unreadable:
            ids = ", ".join(str(i) for i in sorted(set(result.unreadable_ids))[:50])
            raise CommandError(
                f"{result.unreadable} values cannot be decrypted with any configured key "
                f"(lead ids: {ids}); keep the old keys until this is resolved"
            )
