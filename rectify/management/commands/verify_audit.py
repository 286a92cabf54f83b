from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from rectify.audit import anchor_path, read_anchors, verify_chain
from rectify.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Walk the audit HMAC chain and compare it with the heads anchored outside the "
        "database; name the first event that was altered or removed."
    )

    def handle(self, *args, **options) -> None:
        anchors = read_anchors()
        problem = verify_chain()
        if problem:
            raise CommandError(f"audit chain broken at event #{problem.event_id}: {problem.reason}")
        if anchors:
            anchored = f"{len(anchors)} anchors checked, newest #{anchors[-1].event_id}"
        else:
            # Without an anchor, removing the newest events cannot be told from never
            # having written them.
            where = anchor_path() or "AUDIT_ANCHOR_DIR unset"
            anchored = f"no anchor found ({where}): truncation cannot be checked"
        self.stdout.write(f"audit chain intact ({AuditEvent.objects.count()} events; {anchored})")
