from __future__ import annotations

import logging

from celery import shared_task

from . import figures, services
from .audit import audit_anchor_head, verify_chain

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def audit_verify_chain() -> dict:
    """Nightly: walk the audit HMAC chain, compare the anchored heads, log the first problem."""
    problem = verify_chain()
    if problem:
        logger.error("audit chain broken at event %s: %s", problem.event_id, problem.reason)
        return {"ok": False, "event_id": problem.event_id, "reason": problem.reason}
    return {"ok": True}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def audit_anchor() -> dict:
    """Every few minutes: write the chain head outside the database (idempotent)."""
    anchor = audit_anchor_head()
    if anchor is None:
        return {"anchored": None}
    return {"anchored": anchor.event_id, "hash": anchor.hash}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def login_records_purge() -> dict:
    """Nightly: delete staff login records older than AXES_RETENTION_DAYS."""
    return services.login_records_purge()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def figures_nightly() -> dict:
    """After midnight: recompute every unit's figures (overdue moves with the date), then
    store the day's snapshot. Idempotent: a rerun the same day rewrites the same rows."""
    written = figures.rebuild()
    units = figures.snapshot()
    return {"counters": written, "units": units}
