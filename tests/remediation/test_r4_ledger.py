"""The problem ledger: filters, keyset pages, figures, a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from remediation.models import ItemStatus
from tests.factories import ItemFactory, MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _ledger(client, **params):
    return client.get(reverse("remediation:ledger"), params).content.decode()


def test_r4_ledger_filters(client, org, plan):
    today = timezone.localdate()
    court_plan = PlanFactory(campaign=org.campaign, unit=org.court_a, problem="lending")
    late = ItemFactory(plan=plan, description="逾期问题", deadline=today - dt.timedelta(days=1))
    typical = ItemFactory(
        plan=court_plan,
        description="法院典型问题",
        kind="typical",
        origin="public",
        responsible_person=org.cadre_a,
    )
    accepted = ItemFactory(
        plan=plan,
        description="已验收问题",
        status=ItemStatus.ACCEPTED,
        deadline=today - dt.timedelta(days=5),
    )
    owned = ItemFactory(plan=plan, description="措施问题")
    MeasureFactory(item=owned, owner=org.handler)
    client.force_login(org.office_staff)
    assert all(i.number in _ledger(client) for i in (late, typical, accepted, owned))
    body = _ledger(client, overdue="on")
    assert late.number in body and accepted.number not in body and typical.number not in body
    body = _ledger(client, unit=str(org.court_a.pk))
    assert typical.number in body and late.number not in body
    assert typical.number in _ledger(client, problem="lending")
    assert late.number not in _ledger(client, problem="lending")
    assert typical.number in _ledger(client, kind="typical")
    assert late.number not in _ledger(client, kind="typical")
    assert typical.number in _ledger(client, origin="public")
    assert accepted.number in _ledger(client, status="accepted")
    assert late.number not in _ledger(client, status="accepted")
    body = _ledger(client, owner=org.handler.number)
    assert owned.number in body and late.number not in body
    assert typical.number in _ledger(client, owner=org.cadre_a.number)
    assert typical.number in _ledger(client, q="法院典型")
    # Garbage filters are ignored, never a 500.
    response = client.get(reverse("remediation:ledger"), {"unit": "²", "kind": "x", "after": "!!"})
    assert response.status_code == 200
    # Figures of the filtered scope, computed (nothing stored by the read).
    body = _ledger(client)
    assert 'id="fig-overdue">1<' in body and 'id="fig-total">4<' in body
    late.refresh_from_db()
    assert late.status == ItemStatus.OPEN
    # The outsider's ledger has none of it.
    client.force_login(org.outsider)
    assert late.number not in _ledger(client)


def test_r4_ledger_keyset_pages(client, org, plan):
    items = [ItemFactory(plan=plan) for _ in range(55)]
    client.force_login(org.office_staff)
    first = client.get(reverse("remediation:ledger"))
    page = first.context["page"]
    assert len(page.items) == 50 and page.next_cursor
    second = client.get(reverse("remediation:ledger"), {"after": page.next_cursor})
    rest = second.context["page"]
    seen = {i.pk for i in page.items} | {i.pk for i in rest.items}
    assert len(rest.items) == 5 and seen == {i.pk for i in items} and not rest.next_cursor


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("remediation:ledger"), {"overdue": ""})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_r4_ledger_constant_query_count(client, org, plan):
    client.force_login(org.office_staff)
    court_plan = PlanFactory(campaign=org.campaign, unit=org.court_a)
    for p in (plan, court_plan):
        item = ItemFactory(plan=p, responsible_person=org.handler)
        MeasureFactory(item=item, owner=org.handler)
    small = _count_queries(client)
    for i in range(40):
        item = ItemFactory(plan=plan if i % 2 else court_plan, responsible_person=org.officer_a)
        MeasureFactory(item=item, owner=org.handler)
    assert _count_queries(client) == small


def test_r4_my_items_for_responsible_persons_and_measure_owners(client, org, plan):
    mine = ItemFactory(plan=plan, responsible_person=org.handler, description="我负责的")
    measured = ItemFactory(plan=plan, description="我有措施的")
    MeasureFactory(item=measured, owner=org.handler, text="我的措施")
    other = ItemFactory(plan=plan, description="别人的")
    client.force_login(org.handler.user)
    body = client.get(reverse("remediation:my_items")).content.decode()
    assert mine.number in body and measured.number in body and other.number not in body
    assert "我的措施" in body
    home = client.get(reverse("home")).content.decode()
    assert reverse("remediation:my_items") in home  # nav entry 专项整治 for measure owners
    client.force_login(org.office_staff)
    assert reverse("remediation:ledger") in client.get(reverse("home")).content.decode()
