"""Shared set-up of the O1 tests: a leader with an officer record over the city, a lead in
handling at police_a (addressee: police_a, headed by org.unit_head), an item."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from leadership import services
from rectify.models import Role
from tests.factories import grant, officer_with_login


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def make_leader(org):
    leader = officer_with_login(
        org.city, "leader_c", name="钱书记", number="C900", is_leading_cadre=True, position="书记"
    )
    grant(leader.user, Role.LEADER, org.city)
    return leader


def issue_on_lead(org, lead, *, actor=None, deadline: int = 10):
    return services.supervision_order_issue(
        actor=actor or org.chief,
        lead=lead,
        content="该线索办理进度滞后，请加快核查",
        requirement="请于期限内书面回复核查进展",
        deadline=days(deadline),
    )
