from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from rectify.audit import verify_chain
from rectify.models import AuditEvent


class Command(BaseCommand):
    help = "Walk the audit hash chain; name the first event that was altered or removed."

    def handle(self, *args, **options) -> None:
        problem = verify_chain()
        if problem:
            raise CommandError(f"audit chain broken at event #{problem.event_id}: {problem.reason}")
        self.stdout.write(f"audit chain intact ({AuditEvent.objects.count()} events)")
