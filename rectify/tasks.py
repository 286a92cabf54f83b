from __future__ import annotations

import logging

from celery import shared_task

from .audit import verify_chain

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def audit_verify_chain() -> dict:
    """Nightly: walk the audit hash chain and log the first broken event (read-only)."""
    problem = verify_chain()
    if problem:
        logger.error("audit chain broken at event %s: %s", problem.event_id, problem.reason)
        return {"ok": False, "event_id": problem.event_id, "reason": problem.reason}
    return {"ok": True}
