"""O1: on the oversight board, 仅挂牌督办 lists the open listed leads its own card counts
(it said 没有逾期或未办理的线索 while the card said 挂牌督办（在办）1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_o1_board_listed_filter_shows_the_listed_lead_it_counts(client, org, assigned):  # noqa: F811
    lead = assigned()
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    client.force_login(org.office_staff)
    response = client.get(reverse("leads:oversight"), {"listed": "1"})
    assert response.status_code == 200
    assert response.context["figures"]["listed"] == 1
    assert [row.pk for row in response.context["page"]] == [lead.pk]
    body = response.content.decode()
    assert "没有逾期或未办理的线索" not in body and lead.number in body
    # Without the filter the board still lists only flagged leads (this one is not late).
    response = client.get(reverse("leads:oversight"))
    assert list(response.context["page"]) == []
