from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from rectify.params import date_value
from remediation.services.reminders import remediation_reminders_send


class Command(BaseCommand):
    help = "Send today's remediation reminders (due within 3 days, overdue); idempotent per day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")

    def handle(self, *args: object, **options: object) -> None:
        today = date_value(options.get("date")) if options.get("date") else None
        if options.get("date") and today is None:
            self.stderr.write("invalid --date, expected YYYY-MM-DD")
            return
        result = remediation_reminders_send(today=today)
        self.stdout.write(f"reminders sent: {result.sent}, already sent today: {result.already}")
