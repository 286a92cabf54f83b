"""O1: 督办单 numbers stay gapless and unique when leaders issue at the same moment (the
year's counter row is locked; PostgreSQL only, SQLite serialises writers anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from leadership import services
from leadership.models import SupervisionOrder
from tests.leadership.o1_helpers import days


@pytest.mark.django_db(transaction=True)
def test_o1_numbers_are_gapless_under_concurrent_issues(org):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers anyway)")
    errors: list[Exception] = []

    def worker() -> None:
        try:
            for _ in range(5):
                services.supervision_order_issue(
                    actor=org.chief,
                    unit=org.district_a,
                    figure_key="ld.overdue",
                    content="逾期线索偏多",
                    requirement="书面说明",
                    deadline=days(5),
                )
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = sorted(SupervisionOrder.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 21))
