from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def selfcheck_send_reminders() -> int:
    """Daily reminder to officers who have not submitted and whose deadline is near."""
    return services.reminders_due()
