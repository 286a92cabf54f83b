"""Fixtures of the remediation tests (on top of the shared `org` cast)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from leads import services as lead_services
from leads.models import Channel, LeadCategory
from remediation.models import Plan
from tests.factories import PlanFactory


@pytest.fixture
def plan(org) -> Plan:
    """The interference plan of 甲区公安分局 (police_a)."""
    return PlanFactory(
        campaign=org.campaign, unit=org.police_a, title="甲区公安分局三个规定整治方案"
    )


@pytest.fixture
def make_lead(org):
    """make_lead(**overrides) -> a registered lead of office_a about police_a."""

    def make(**kw):
        subjects = kw.pop("subjects", [])
        params = {
            "office": org.office_a,
            "actor": org.intake,
            "received_date": timezone.localdate(),
            "channel": Channel.objects.get(code="hotline"),
            "category": LeadCategory.INTERFERENCE,
            "summary": "举报内容：某民警过问他人案件（机密）",
            "subject_unit": org.police_a,
            "subjects": [lead_services.SubjectInput(name=s.name, officer=s) for s in subjects],
        }
        params.update(kw)
        return lead_services.lead_register(**params)

    return make


def post_item(client, url, **overrides):
    data = {
        "description": "派出所民警违规过问案件问题",
        "kind": "frequent",
        "origin": "inspection",
        "responsible_unit": "",
        "deadline": "",
        "subjects": "",
    }
    data.update(overrides)
    return client.post(url, data)
