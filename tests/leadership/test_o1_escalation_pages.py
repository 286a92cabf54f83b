"""O1: overdue 督办单 escalate once (beat task idempotent); orders and instructions show on
the lead page and the item page; recusal hides them (404, absent from lists)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from leadership import services, tasks
from leadership.models import SupervisionOrder
from leads.models import LeadSubject
from selfcheck.models import Notice
from tests.factories import remediation_item
from tests.leadership.o1_helpers import days, issue_on_lead
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_o1_overdue_orders_escalate_once_to_the_superior_unit(org, assigned):  # noqa: F811
    org.district_a.direct_responsible = org.cadre_a
    org.district_a.save(update_fields=["direct_responsible"])
    lead = assigned()
    order = issue_on_lead(org, lead)
    on_time = issue_on_lead(org, lead)
    SupervisionOrder.objects.filter(pk=order.pk).update(deadline=days(-2))
    assert tasks.supervision_escalate.delay().get() == 1
    order.refresh_from_db()
    assert order.escalated_at is not None
    assert order.escalated_unit == org.district_a and order.escalated_person == org.cadre_a
    assert (
        Notice.objects.filter(user=org.cadre_a.user, url__contains=f"/orders/{order.pk}/").count()
        == 1
    )
    assert Notice.objects.filter(user=org.chief, text__contains="逾期").count() == 1
    # Idempotent: a second run (a redelivered task) changes nothing and sends nothing.
    stamp = order.escalated_at
    assert tasks.supervision_escalate() == 0
    order.refresh_from_db()
    assert order.escalated_at == stamp
    assert Notice.objects.filter(user=org.cadre_a.user).count() == 1
    on_time.refresh_from_db()
    assert on_time.escalated_at is None
    entry = settings.CELERY_BEAT_SCHEDULE["leadership-supervision-escalate"]
    assert entry["task"] == "leadership.tasks.supervision_escalate"
    assert tasks.supervision_escalate.acks_late and tasks.supervision_escalate.reject_on_worker_lost


def test_o1_order_and_instruction_show_on_the_lead_page(client, org, assigned):  # noqa: F811
    lead = assigned()
    client.force_login(org.chief)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "btn-issue-order" in page and "下发督办单" in page
    order = issue_on_lead(org, lead)
    services.supervision_reply_submit(actor=org.unit_head.user, order=order, text="正在核查中")
    services.instruction_issue(actor=org.chief, lead=lead, text="务必依纪依法查清")
    client.force_login(org.unit_head.user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert order.number in page and "正在核查中" in page and "务必依纪依法查清" in page
    # … and on the lead's timeline, in order with the lead's own events.
    timeline = page.split('id="timeline"')[1]
    assert "下发督办单" in timeline and "督办回复" in timeline and "领导批示" in timeline
    assert timeline.index("下发督办单") < timeline.index("督办回复")
    assert reverse("leadership:order_detail", args=[order.pk]) in timeline
    # The unit head may not issue: no button.
    assert "btn-issue-order" not in page


def test_o1_order_shows_on_the_item_page(client, org):
    item = remediation_item(org.police_a)
    order = services.supervision_order_issue(
        actor=org.chief, item=item, content="整改滞后", requirement="回复", deadline=days(3)
    )
    assert order.unit == org.police_a
    client.force_login(org.chief)
    page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    assert order.number in page and "btn-issue-order" in page


def test_o1_recusal_hides_orders_about_a_lead_from_its_subject(client, org, assigned):  # noqa: F811
    # The subject of the lead is the addressee unit's own head: still recused.
    lead = assigned()
    order = issue_on_lead(org, lead)
    instruction = services.instruction_issue(actor=org.chief, lead=lead, text="查清")
    LeadSubject.objects.create(lead=lead, name=org.unit_head.name, officer=org.unit_head)
    client.force_login(org.unit_head.user)
    assert client.get(reverse("leadership:order_detail", args=[order.pk])).status_code == 404
    assert client.get(reverse("leadership:order_print", args=[order.pk])).status_code == 404
    assert (
        client.get(reverse("leadership:instruction_detail", args=[instruction.pk])).status_code
        == 404
    )
    awaiting = client.get(reverse("leadership:awaiting"))
    assert awaiting.context["orders"] == [] and awaiting.context["instructions"] == []
    assert order.number not in client.get(reverse("home")).content.decode()
    with pytest.raises(services.SupervisionError):
        services.supervision_reply_submit(actor=org.unit_head.user, order=order, text="x")
    # Office staff over the unit still see and answer it.
    client.force_login(org.office_staff)
    assert client.get(reverse("leadership:order_detail", args=[order.pk])).status_code == 200


def test_o1_recusal_covers_orders_about_an_item_of_the_lead(client, org, assigned):  # noqa: F811
    lead = assigned()
    item = remediation_item(org.police_a, source_lead=lead)
    order = services.supervision_order_issue(
        actor=org.chief, item=item, content="整改", requirement="回复", deadline=days(3)
    )
    LeadSubject.objects.create(lead=lead, name=org.unit_head.name, officer=org.unit_head)
    client.force_login(org.unit_head.user)
    assert client.get(reverse("leadership:order_detail", args=[order.pk])).status_code == 404
