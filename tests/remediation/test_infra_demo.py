"""The demo's special remediation: idempotent, every state of the lifecycle present, and
every demo account that has a part in it sees a 专项整治 entry leading somewhere useful."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from remediation.access import items_visible_to
from remediation.models import (
    Accountability,
    Commitment,
    Evidence,
    Item,
    MeasureNote,
    Plan,
    PracticalMatter,
    SurveyResponse,
)
from remediation.selectors.closure import closure_missing
from remediation.selectors.ledger import my_items
from remediation.ui import nav_items

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(Item.objects.values_list("number", "status", "escalated_to__number"))


def test_it_seeds_demo_remediation_idempotently_for_the_demo_accounts(client):
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()
    models = (Plan, Evidence, Accountability, SurveyResponse, Commitment, PracticalMatter)
    counts = [m.objects.count() for m in models]
    assert all(counts), counts
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first
    assert [m.objects.count() for m in models] == counts
    assert MeasureNote.objects.exists()

    # Every chronic problem has plans; every state is there; blocked by each condition.
    assert set(Plan.objects.values_list("problem", flat=True)) >= {
        "interference", "business", "lending", "sentence", "inaction", "broker",
    }  # fmt: skip
    assert {s for _, s, _ in first} == {"open", "in_progress", "rectified", "accepted"}
    blocked = [closure_missing(i) for i in Item.objects.filter(status="rectified")]
    for condition in ("问题未解决不放过", "群众不满意不放过", "责任人未处理不放过"):
        assert any(len(m) == 1 and m[0].startswith(condition) for m in blocked), condition
    chain = Item.objects.filter(escalated_to__escalated_to__isnull=False).get()
    assert chain.unit.depth == chain.escalated_to.escalated_to.unit.depth + 2
    assert Item.objects.filter(origin="lead", source_lead__isnull=False).exists()

    users = {u.username: u for u in get_user_model().objects.all()}
    for name in ("office", "unithead", "leader"):
        assert reverse("remediation:ledger") in [n.url for n in nav_items(users[name])], name
        assert items_visible_to(users[name]).exists(), name
    for name in ("handler", "cadre", "officer"):
        assert reverse("remediation:my_items") in [n.url for n in nav_items(users[name])], name
        assert my_items(users[name]).exists(), name
    office_items = items_visible_to(users["office"])
    assert office_items.filter(status="rectified").count() >= 3
    client.force_login(users["office"])
    page = client.get(reverse("remediation:ledger")).content.decode()
    assert "专项整治" in page and chain.number in page
