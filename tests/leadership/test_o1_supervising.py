"""O1: 我督办的 lists the five kinds a leader personally supervises (listed leads, items
escalated to their level, leads escalated to them, orders issued, instructions given),
with filters; 待我办理 for the addressee; 批示 acknowledged and answered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadership import services
from leadership.models import InstructionStatus
from leads import services as lead_services
from leads.models import Escalation, FlagKind, Lead
from remediation.models import Item
from tests.factories import remediation_item
from tests.leadership.o1_helpers import days, issue_on_lead, make_leader
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_o1_supervising_lists_all_five_kinds(client, org, assigned):  # noqa: F811
    leader = make_leader(org)
    listed = assigned()
    lead_services.lead_list_supervision(
        lead=listed, actor=org.office_staff, supervisor=leader, deadline=days(15)
    )
    late = assigned()
    Lead.objects.filter(pk=late.pk).update(deadline=days(-20))
    Escalation.objects.create(
        lead=late, kind=FlagKind.OVERDUE, level=2, unit=org.city, person=leader
    )
    superior = remediation_item(org.city, number="RC-CITY-1")
    below = remediation_item(org.station_a1, number="RC-ST-1")
    Item.objects.filter(pk=below.pk).update(escalated_to=superior)
    order = issue_on_lead(org, listed, actor=leader.user)
    instruction = services.instruction_issue(
        actor=leader.user, unit=org.district_a, figure_key="ld.overdue", text="逾期线索要清零"
    )

    client.force_login(leader.user)
    response = client.get(reverse("leadership:supervising"))
    assert response.status_code == 200
    blocks = {b.kind: [r.pk for r in b.rows] for b in response.context["blocks"]}
    assert blocks == {
        "listed": [listed.pk],
        "items": [below.pk],
        "escalated": [late.pk],
        "orders": [order.pk],
        "instructions": [instruction.pk],
    }
    body = response.content.decode()
    assert order.number in body and "逾期线索要清零" in body
    # Filters: kind, status, overdue.
    only = client.get(reverse("leadership:supervising"), {"kind": "orders", "status": "closed"})
    assert [(b.kind, b.rows) for b in only.context["blocks"]] == [("orders", [])]
    overdue = client.get(reverse("leadership:supervising"), {"overdue": "1", "kind": "bogus"})
    kinds = {b.kind: b.rows for b in overdue.context["blocks"]}
    assert kinds["orders"] == [] and [r.pk for r in kinds["escalated"]] == [late.pk]
    # Nav entry and home panel for leaders.
    home = client.get(reverse("home")).content.decode()
    assert reverse("leadership:supervising") in home and "督办单在办" in home
    # Not a leader: no page.
    client.force_login(org.office_staff)
    assert client.get(reverse("leadership:supervising")).status_code == 403


def test_o1_instruction_is_acknowledged_and_answered(client, org, assigned):  # noqa: F811
    lead = assigned()
    instruction = services.instruction_issue(
        actor=org.chief, lead=lead, text="请专人盯办", person=org.handler, deadline=days(5)
    )
    assert instruction.unit == org.police_a
    # Answering before acknowledging is refused.
    with pytest.raises(services.SupervisionError):
        services.instruction_answer(actor=org.unit_head.user, instruction=instruction, answer="x")
    client.force_login(org.handler.user)
    awaiting = client.get(reverse("leadership:awaiting"))
    assert [i.pk for i in awaiting.context["instructions"]] == [instruction.pk]
    url = reverse("leadership:instruction_detail", args=[instruction.pk])
    assert "btn-acknowledge" in client.get(url).content.decode()
    client.post(reverse("leadership:instruction_acknowledge", args=[instruction.pk]))
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ACKNOWLEDGED
    assert instruction.acknowledged_by == org.handler.user
    bad = client.post(
        reverse("leadership:instruction_answer", args=[instruction.pk]), {"answer": ""}
    )
    assert bad.status_code == 422
    client.post(
        reverse("leadership:instruction_answer", args=[instruction.pk]), {"answer": "已指定专人"}
    )
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ANSWERED and instruction.answer == "已指定专人"
    assert client.get(reverse("leadership:awaiting")).context["instructions"] == []
    # The outsider sees nothing of it.
    client.force_login(org.outsider)
    assert client.get(url).status_code == 404


def test_o1_instruction_issue_page(client, org, assigned):  # noqa: F811
    lead = assigned()
    client.force_login(org.chief)
    url = reverse("leadership:instruction_new")
    assert client.get(url, {"lead": lead.pk}).status_code == 200
    bad = client.post(url, {"lead": lead.pk, "text": "查清", "person": "NOPE"})
    assert bad.status_code == 422 and "未找到该警号的干警" in bad.content.decode()
    ok = client.post(url, {"lead": lead.pk, "text": "查清", "person": org.handler.number})
    assert ok.status_code == 302
    client.force_login(org.unit_head.user)
    assert client.get(url, {"lead": lead.pk}).status_code == 403
