"""#14: the ledger's figures come from the maintained counters ("rm." keys, in progress
counted apart), and the counters keep recusal: items naming the reader (as a subject, or
through the lead they came from) are counted for others, not for them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from rectify import figures
from remediation.models import ItemKind, ItemOrigin, ItemStatus
from remediation.services.items import item_create
from tests.factories import ItemFactory, OfficerFactory


def test_counters_hide_items_naming_the_reader(org, plan, make_lead):
    """RECUSAL: the chief is a subject of one item and of the lead another came from; the
    counters count both for the office, neither for the chief (totals_for, child_totals_for,
    and the ledger's figures drawn from the counters)."""
    chief_officer = OfficerFactory(unit=org.city, user=org.chief, name="钱市长")
    lead = make_lead(subjects=[chief_officer])
    deadline = timezone.localdate() + dt.timedelta(days=20)
    common = {"plan": plan, "actor": org.office_staff, "kind": ItemKind.FREQUENT}
    item_create(description="与本人无关", origin=ItemOrigin.INSPECTION, deadline=deadline, **common)
    item_create(
        description="涉及本人",
        origin=ItemOrigin.INSPECTION,
        deadline=deadline,
        subjects=[chief_officer],
        **common,
    )
    item_create(
        description="来自涉及本人的线索",
        origin=ItemOrigin.LEAD,
        source_lead=lead,
        deadline=deadline,
        **common,
    )
    c = org.campaign
    assert figures.totals(c, org.city)["rm.items"] == 3
    assert figures.totals_for(org.chief, c, org.city)["rm.items"] == 1
    assert figures.totals_for(org.chief, c, org.city)["rm.open"] == 1
    children = figures.child_totals_for(org.chief, c, org.city)
    assert children[org.district_a.path]["rm.items"] == 1
    assert figures.totals_for(org.office_staff, c, org.city)["rm.items"] == 3


def test_ledger_figures_from_counters_equal_the_rows(client, org, plan):
    today = timezone.localdate()
    ItemFactory(plan=plan, status=ItemStatus.IN_PROGRESS, deadline=today - dt.timedelta(days=1))
    ItemFactory(plan=plan, status=ItemStatus.OPEN)
    ItemFactory(plan=plan, status=ItemStatus.ACCEPTED)
    client.force_login(org.office_staff)
    body = client.get(reverse("remediation:ledger")).content.decode()
    for key, value in {
        "total": 3,
        "open": 1,
        "in_progress": 1,
        "accepted": 1,
        "overdue": 1,
    }.items():
        assert f'id="fig-{key}">{value}<' in body, key
    body = client.get(reverse("remediation:ledger"), {"status": "in_progress"}).content.decode()
    assert 'id="fig-total">1<' in body


def test_ledger_figures_for_an_officer_with_items_outside_the_scope(client, org, plan):
    """A reader who is also a responsible person elsewhere sees those items in the list:
    the figures then count the rows (the counters of the scope would miss them)."""
    from remediation.models import Plan
    from tests.factories import PlanFactory

    ItemFactory(plan=plan, status=ItemStatus.OPEN)
    client.force_login(org.unit_head.user)
    body = client.get(reverse("remediation:ledger")).content.decode()
    assert 'id="fig-total">1<' in body
    court_plan = PlanFactory(campaign=org.campaign, unit=org.court_b)
    assert Plan.objects.filter(pk=court_plan.pk).exists()
    ItemFactory(plan=court_plan, responsible_person=org.unit_head)
    body = client.get(reverse("remediation:ledger")).content.decode()
    assert 'id="fig-total">2<' in body
