"""O1: the demo's 督办单 and 批示 for the leader account (idempotent)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from leadership import demo_supervision
from leadership.models import Instruction, OrderStatus, SupervisionOrder
from rectify.models import User

pytestmark = pytest.mark.django_db


def test_o1_demo_seeds_an_answered_and_an_overdue_order_and_an_instruction():
    call_command("seed_demo", stdout=StringIO())
    demo_supervision.seed()
    demo_supervision.seed()  # idempotent
    orders = list(SupervisionOrder.objects.order_by("seq"))
    assert [o.status for o in orders] == [OrderStatus.CLOSED, OrderStatus.ISSUED]
    assert orders[1].escalated_at is not None
    assert Instruction.objects.count() == 1
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("leadership:supervising"))
    assert page.status_code == 200
    assert orders[0].number in page.content.decode()
    lead_page = client.get(reverse("leads:detail", args=[orders[0].lead_id])).content.decode()
    assert orders[0].number in lead_page
