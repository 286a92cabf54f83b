"""Issue 9: the handler-conflict hint says which kind of declared tie matched (亲属 / 企业 /
借贷对象), never the declared name, unless the user may read that self-check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads.models import EventKind
from rectify.models import Role
from selfcheck.models import SelfCheckReport
from tests.factories import UserFactory, grant
from tests.leads.test_l4_conflicts import assign, declare_names

pytestmark = pytest.mark.django_db

SUMMARY = "反映某干警为秦皇岛鑫源贸易有限公司招揽生意，向周某某借款，其妻孙小红参与"


@pytest.fixture
def declared_lead(org, register):
    declare_names(
        org.handler,
        org.campaign,
        business=[("孙小红", "秦皇岛鑫源贸易有限公司")],
        lending=["周某某"],
    )
    return register(summary=SUMMARY)


def hint(client, user, lead) -> str:
    client.force_login(user)
    url = reverse("leads:assign_conflicts", args=[lead.pk])
    response = client.get(url, {"handler": "A100"})
    assert response.status_code == 200
    return response.content.decode()


def test_l4_office_staff_are_told_the_kind_of_tie_not_the_declared_name(client, org, declared_lead):
    page = hint(client, org.office_staff, declared_lead)
    for kind in ("亲属", "企业", "借贷对象"):
        assert f"申报的{kind}出现在" in page
    for name in ("孙小红", "秦皇岛鑫源贸易有限公司", "周某某"):
        assert name not in page
    # ... as on the self-check itself, which office staff may not open.
    report = SelfCheckReport.objects.get(officer=org.handler)
    assert client.get(reverse("selfcheck:report_detail", args=[report.pk])).status_code == 404


def test_l4_a_user_who_may_read_the_self_check_sees_the_names(client, org, declared_lead):
    both = UserFactory(username="office_and_reviewer")
    grant(both, Role.OFFICE, org.district_a, org.office_a)
    grant(both, Role.REVIEWER, org.district_a)
    page = hint(client, both, declared_lead)
    assert "亲属“孙小红”" in page and "周某某" in page


def test_l4_the_recorded_override_names_no_declared_tie(org, declared_lead):
    assign(org, declared_lead, override_reason="本地仅此一名承办人")
    event = declared_lead.events.get(kind=EventKind.TRIAGE)
    text = "；".join(event.data["conflicts"])
    assert "亲属" in text and "孙小红" not in text and "周某某" not in text
