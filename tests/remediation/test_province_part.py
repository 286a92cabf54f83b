"""#14: remediation's part of generate_province and its bench pages.

The part writes the scale's items over every state of the workflow, numbered as the
services number them, with counters that agree with the rows; the same seed writes the same
rows; the ledger's pages make the same number of queries over two sizes of data."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from rectify import figures
from rectify.province import SCALES, Province
from remediation.models import (
    AcceptanceAttempt,
    AttemptDecision,
    Evidence,
    EvidenceStatus,
    Item,
    ItemStatus,
    Measure,
    MeasureNote,
)
from tests.province_bench import bench_pages


class _Undo(Exception):
    pass


def _fingerprint(p: Province) -> list:
    items = Item.objects.filter(unit__path__startswith=p.root.path)
    return list(
        items.order_by("number").values_list(
            "number", "status", "deadline", "unit__code", "escalated_to__number", "origin"
        )
    ) + [Measure.objects.filter(item__in=items).count()]


@pytest.mark.django_db
def test_province_part_writes_every_state_deterministically():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                call_command("generate_province", scale="town", seed=5, stdout=StringIO())
                p = Province.load(5, "town")
                prints.append(_fingerprint(p))
                items = Item.objects.filter(unit__path__startswith=p.root.path)
                assert items.count() == SCALES["town"].items
                assert set(items.values_list("status", flat=True)) == set(ItemStatus.values)
                assert items.filter(escalated_to__isnull=False).exists()
                returned = AcceptanceAttempt.objects.filter(
                    item__in=items, decision=AttemptDecision.RETURNED
                )
                assert returned.filter(item__status=ItemStatus.IN_PROGRESS).exists()
                assert items.filter(~Q(status=ItemStatus.ACCEPTED), deadline__lt=p.today).exists()
                assert items.filter(~Q(status=ItemStatus.ACCEPTED), deadline__gte=p.today).exists()
                assert MeasureNote.objects.filter(measure__item__in=items).exists()
                reviewed = set(
                    Evidence.objects.filter(item__in=items).values_list("status", flat=True)
                )
                assert EvidenceStatus.SUBMITTED in reviewed and EvidenceStatus.APPROVED in reviewed
                # Numbers as item_next_number makes them, escalated ones as item_escalate.
                for number, code in items.values_list("number", "unit__code"):
                    assert re.fullmatch(r"ZG-(.+)-2026-\d{4}(-S)?", number), number
                    if not number.endswith("-S"):
                        assert number.startswith(f"ZG-{code}-2026-"), (number, code)
                for unit_id in set(items.values_list("unit_id", flat=True)):
                    seqs = sorted(
                        int(n.rsplit("-", 1)[1])
                        for n in items.filter(unit_id=unit_id).values_list("number", flat=True)
                        if not n.endswith("-S")
                    )
                    assert seqs == list(range(1, len(seqs) + 1))
                assert figures.stored(campaign=p.campaign) == figures.computed(campaign=p.campaign)
                totals = figures.totals(p.campaign, p.root, prefix="rm.")
                assert totals["rm.items"] == items.count()
                assert totals["rm.in_progress"] == items.filter(status="in_progress").count()
                # 我的整改 of the cast officer has rows.
                assert items.filter(responsible_person__user__username=p.username("officer"))
                raise _Undo
        except _Undo:
            pass
    assert prints[0] == prints[1]


@pytest.mark.django_db(transaction=True)
def test_remediation_bench_pages_at_two_sizes(tmp_path):
    for scale in ("district", "town"):
        call_command("generate_province", scale=scale, seed=4, stdout=StringIO())
    data = bench_pages(tmp_path, seed=4, only="remediation")
    names = {s["name"] for s in data["scenarios"]}
    assert {
        "remediation.ledger.office.first",
        "remediation.ledger.office.deep",
        "remediation.ledger.d_office.first",
        "remediation.mine.officer",
    } <= names
    for scenario in data["scenarios"]:
        assert scenario["sizes"]["district"]["queries"] <= 20, scenario["name"]
        assert "admin" in scenario, scenario["name"]
