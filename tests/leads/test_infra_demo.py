"""The demo leads: idempotent, deterministic, and every demo account has something to see."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from leads import selectors
from leads.access import leads_visible_to
from leads.models import Lead, LeadStatus, Signature

pytestmark = pytest.mark.django_db


def _snapshot():
    rows = Lead.objects.values_list("number", "status", "category", "summary")
    return sorted(rows, key=lambda r: (r[0] or "", r[3]))


def test_it_seeds_demo_leads_idempotently_for_the_demo_accounts():
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first
    users = {u.username: u for u in get_user_model().objects.all()}
    statuses = {s for _, s, _, _ in first}
    assert {"unregistered", "registered", "handling", "signing", "crossed_off"} <= statuses
    assert selectors.intake_queue(users["intake"]).filter(selectors.intake_overdue_q()).exists()
    assert selectors.my_leads(users["handler"]).filter(status=LeadStatus.HANDLING).count() >= 2
    waiting = selectors.awaiting_signature(users["unithead"])
    assert waiting.count() == 1
    assert Signature.objects.filter(lead=waiting.get(), voided_at__isnull=True).count() == 1
    assert leads_visible_to(users["office"]).count() == Lead.objects.count()
    assert selectors.ledger_figures(users["leader"]).closure_rate is not None
