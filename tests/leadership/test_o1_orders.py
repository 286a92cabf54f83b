"""O1: 督办单 — numbering, issue → reply → return → reply → close, who may issue and reply,
bad input, the printable notice."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from leadership import services
from leadership.models import OrderStatus, ReplyState, SupervisionOrder
from rectify.models import AuditEvent
from tests.leadership.o1_helpers import days, issue_on_lead
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_o1_orders_are_numbered_per_year_without_gaps(org, assigned):  # noqa: F811
    lead = assigned()
    orders = [issue_on_lead(org, lead) for _ in range(3)]
    year = timezone.localdate().year
    assert [o.seq for o in orders] == [1, 2, 3]
    assert orders[0].number == f"督办〔{year}〕1号"
    # A refused issue takes no number.
    with pytest.raises(services.SupervisionError):
        issue_on_lead(org, lead, actor=org.office_staff)
    assert issue_on_lead(org, lead).seq == 4
    assert SupervisionOrder.objects.get(pk=orders[1].pk).number == f"督办〔{year}〕2号"


def test_o1_order_issue_reply_return_reply_close(client, org, assigned):  # noqa: F811
    lead = assigned()
    client.force_login(org.chief)
    response = client.post(
        reverse("leadership:order_new"),
        {
            "lead": lead.pk,
            "content": "办理进度滞后",
            "requirement": "书面回复",
            "deadline": days(7).isoformat(),
        },
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "leadership:order_detail", args=[order.pk]
    )
    assert order.unit == org.police_a and order.issuer == org.chief
    assert order.status == OrderStatus.ISSUED

    # The addressee unit's head replies.
    client.force_login(org.unit_head.user)
    page = client.get(reverse("leadership:order_detail", args=[order.pk]))
    assert page.status_code == 200 and "btn-reply" in page.content.decode()
    client.post(reverse("leadership:order_reply", args=[order.pk]), {"text": "已约谈，正在核查"})
    order.refresh_from_db()
    assert order.status == OrderStatus.REPLIED

    # The issuer returns it with a reason (a reason is required: 422 without).
    client.force_login(org.chief)
    bad = client.post(reverse("leadership:order_return", args=[order.pk]), {"reason": ""})
    assert bad.status_code == 422
    client.post(reverse("leadership:order_return", args=[order.pk]), {"reason": "未写明时间表"})
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED
    assert order.replies.get(round=1).state == ReplyState.RETURNED

    client.force_login(org.unit_head.user)
    client.post(reverse("leadership:order_reply", args=[order.pk]), {"text": "本月20日前查结"})
    client.force_login(org.chief)
    page = client.get(reverse("leadership:order_detail", args=[order.pk])).content.decode()
    assert "data-confirm" in page and "btn-accept" in page
    client.post(reverse("leadership:order_accept", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and order.closed_at is not None
    assert [r.state for r in order.replies.order_by("round")] == [
        ReplyState.RETURNED,
        ReplyState.ACCEPTED,
    ]
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(order.pk), action__startswith="leadership.order"
        ).values_list("action", flat=True)
    )
    assert {
        "leadership.order.issued",
        "leadership.order.replied",
        "leadership.order.returned",
        "leadership.order.closed",
    } <= actions
    # A closed order takes no more replies.
    client.force_login(org.unit_head.user)
    assert (
        client.post(
            reverse("leadership:order_reply", args=[order.pk]), {"text": "再报"}
        ).status_code
        == 403
    )


def test_o1_who_may_issue_and_reply(client, org, assigned):  # noqa: F811
    lead = assigned()
    # Office staff prepare but do not sign: no issuing, page 403.
    client.force_login(org.office_staff)
    assert client.get(reverse("leadership:order_new"), {"lead": lead.pk}).status_code == 403
    with pytest.raises(services.SupervisionError) as exc:
        issue_on_lead(org, lead, actor=org.office_staff)
    assert str(exc.value) == services.supervision.NOT_ALLOWED
    order = issue_on_lead(org, lead)
    # The leader who issued cannot reply; the unit head cannot accept.
    with pytest.raises(services.SupervisionError):
        services.supervision_reply_submit(actor=org.chief, order=order, text="x")
    services.supervision_reply_submit(actor=org.office_staff, order=order, text="办公室代复")
    with pytest.raises(services.SupervisionError) as exc:
        services.supervision_reply_accept(actor=org.unit_head.user, order=order)
    assert str(exc.value) == services.supervision.NOT_DECIDABLE
    # Outside the addressee's tree: the order is invisible (404).
    client.force_login(org.outsider)
    assert client.get(reverse("leadership:order_detail", args=[order.pk])).status_code == 404
    assert (
        client.post(reverse("leadership:order_reply", args=[order.pk]), {"text": "x"}).status_code
        == 404
    )
    client.force_login(org.officer_a.user)
    assert client.get(reverse("leadership:order_print", args=[order.pk])).status_code == 404


def test_o1_order_bad_input_is_a_422_in_chinese(client, org, assigned):  # noqa: F811
    lead = assigned()
    client.force_login(org.chief)
    url = reverse("leadership:order_new")
    response = client.post(url, {"lead": lead.pk, "content": "", "deadline": "2026-02-31"})
    assert response.status_code == 422
    assert "督办事项" in response.content.decode()
    past = client.post(
        url, {"lead": lead.pk, "content": "x", "requirement": "y", "deadline": days(-1)}
    )
    assert past.status_code == 422 and "期限不能早于今天" in past.content.decode()
    assert client.get(url, {"lead": "abc"}).status_code == 404
    assert client.get(url, {"lead": 999999}).status_code == 404
    assert client.get(url).status_code == 404
    assert not SupervisionOrder.objects.exists()


def test_o1_order_print_is_an_a4_notice(client, org, assigned):  # noqa: F811
    lead = assigned()
    order = issue_on_lead(org, lead)
    client.force_login(org.unit_head.user)
    body = client.get(reverse("leadership:order_print", args=[order.pk])).content.decode()
    for text in (
        "督办通知书",
        order.number,
        "甲区公安分局：",
        "督办要求",
        "回复期限",
        "签发",
        "size: A4",
    ):
        assert text in body


def test_o1_order_about_a_figure(org):
    order = services.supervision_order_issue(
        actor=org.chief,
        unit=org.district_a,
        figure_key="closure_rate",
        content="查结率偏低",
        requirement="书面说明原因和措施",
        deadline=days(5),
    )
    assert order.about == "figure" and order.unit == org.district_a
    with pytest.raises(services.SupervisionError) as exc:
        services.supervision_order_issue(
            actor=org.chief,
            unit=org.district_a,
            figure_key="nope",
            content="x",
            requirement="y",
            deadline=days(5),
        )
    assert str(exc.value) == services.supervision.UNKNOWN_FIGURE


def test_o1_order_on_a_figure_through_the_pages(client, org):
    client.force_login(org.chief)
    page = client.get(reverse("leadership:supervising")).content.decode()
    assert 'id="sv-figure-order"' in page and org.district_a.name in page
    url = reverse("leadership:order_new")
    form = client.get(url, {"unit": org.district_a.pk, "figure": "ld.overdue"})
    assert form.status_code == 200 and "线索逾期件数" in form.content.decode()
    response = client.post(
        url,
        {
            "unit": org.district_a.pk,
            "figure": "ld.overdue",
            "content": "逾期线索偏多",
            "requirement": "书面说明",
            "deadline": days(5).isoformat(),
        },
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    assert order.figure_key == "ld.overdue" and order.unit == org.district_a
    bad = client.post(
        url,
        {
            "unit": org.district_a.pk,
            "figure": "x" * 10,
            "content": "x",
            "requirement": "y",
            "deadline": days(5).isoformat(),
        },
    )
    assert bad.status_code == 422 and "未知的工作指标" in bad.content.decode()
    # A unit outside the leader's scope: 404.
    client.force_login(org.outsider)
    assert client.get(url, {"unit": org.district_a.pk}).status_code in (403, 404)
