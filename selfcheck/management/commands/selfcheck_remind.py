from __future__ import annotations

from django.core.management.base import BaseCommand

from selfcheck import services


class Command(BaseCommand):
    help = "Remind officers who have not submitted their self-check and whose deadline is near."

    def handle(self, *args: object, **options: object) -> None:
        sent = services.reminders_due()
        self.stdout.write(f"reminders sent: {sent}")
