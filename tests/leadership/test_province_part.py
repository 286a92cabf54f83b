"""#14: leadership's part of generate_province (run last, in the same transaction) and its
bench pages: supervision orders numbered gapless as the service numbers them, in every
state with their replies; instructions; counters that agree with the rows; the same rows
for the same seed; the dashboard, its table partial and 我督办的 at two sizes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from leadership.models import (
    CampaignPolicy,
    Instruction,
    InstructionStatus,
    OrderStatus,
    ReplyState,
    SupervisionOrder,
    SupervisionSequence,
)
from rectify import figures
from rectify.province import Province
from tests.province_bench import bench_pages


class _Undo(Exception):
    pass


def _fingerprint(p: Province) -> list:
    orders = SupervisionOrder.objects.filter(unit__path__startswith=p.root.path)
    return list(
        orders.order_by("seq").values_list("seq", "status", "unit__code", "about", "deadline")
    ) + list(
        Instruction.objects.filter(unit__path__startswith=p.root.path)
        .order_by("issued_at", "pk")
        .values_list("status", "unit__code")
    )


@pytest.mark.django_db
def test_leadership_part_numbers_gapless_every_state_deterministic():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                call_command("generate_province", scale="town", seed=6, stdout=StringIO())
                p = Province.load(6, "town")
                prints.append(_fingerprint(p))
                orders = SupervisionOrder.objects.filter(unit__path__startswith=p.root.path)
                assert orders.count() >= 8
                seqs = sorted(orders.values_list("seq", flat=True))
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
                year = p.today.year
                assert SupervisionSequence.objects.get(year=year).last == seqs[-1]
                assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
                for order in orders.prefetch_related("replies"):
                    states = [r.state for r in order.replies.all()]
                    expected = {
                        OrderStatus.ISSUED: None,
                        OrderStatus.REPLIED: ReplyState.PENDING,
                        OrderStatus.RETURNED: ReplyState.RETURNED,
                        OrderStatus.CLOSED: ReplyState.ACCEPTED,
                    }[order.status]
                    assert (states[-1] if states else None) == expected, order.number
                    assert (order.closed_at is not None) == (order.status == OrderStatus.CLOSED)
                instructions = Instruction.objects.filter(unit__path__startswith=p.root.path)
                assert instructions.exists()
                answered = instructions.filter(status=InstructionStatus.ANSWERED)
                assert not answered.filter(answered_at__isnull=True).exists()
                assert CampaignPolicy.objects.filter(campaign=p.campaign).exists()
                assert figures.stored(campaign=p.campaign) == figures.computed(campaign=p.campaign)
                raise _Undo
        except _Undo:
            pass
    assert prints[0] == prints[1]


@pytest.mark.django_db(transaction=True)
def test_leadership_bench_pages_at_two_sizes(tmp_path):
    for scale in ("district", "town"):
        call_command("generate_province", scale=scale, seed=4, stdout=StringIO())
    data = bench_pages(tmp_path, seed=4, only="leadership", jobs=True)
    names = {s["name"] for s in data["scenarios"]}
    assert {
        "leadership.dashboard.province",
        "leadership.dashboard.district",
        "leadership.closure.province",
        "leadership.supervising.leader",
    } <= names
    (job,) = [j for j in data["jobs"] if j["name"] == "leadership.report"]
    assert "error" not in job, job
    assert job["seconds"] > 0 and job["peak_mb"] > 0 and job["bytes"] > 0
