"""Fixtures for the lead ledger tests (on top of the shared `org` cast)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leads import services
from leads.models import Channel, LeadCategory


@pytest.fixture
def channels(db):
    """The speech's channels, by code (seeded by migration, restored after every flush)."""
    return {c.code: c for c in Channel.objects.all()}


@pytest.fixture
def hotline(db):
    return Channel.objects.get(code="hotline")


@pytest.fixture
def register(org, hotline):
    """register(**overrides) -> a registered lead of office_a, by the intake user."""

    def make(**kw):
        subjects = kw.pop("subjects", [])
        params = {
            "office": org.office_a,
            "actor": org.intake,
            "received_date": timezone.localdate(),
            "channel": hotline,
            "category": LeadCategory.INTERFERENCE,
            "summary": "反映某干警过问他人案件",
            "subjects": [
                s
                if isinstance(s, services.SubjectInput)
                else services.SubjectInput(name=s.name, officer=s)
                for s in subjects
            ],
        }
        params.update(kw)
        return services.lead_register(**params)

    return make


@pytest.fixture
def assigned(org, register):
    """assigned(**overrides) -> a lead in handling by org.handler at police_a."""

    def make(**kw):
        lead = register(**kw)
        return services.lead_assign(
            lead=lead,
            actor=org.office_staff,
            unit=org.police_a,
            handler=org.handler,
            deadline=timezone.localdate() + dt.timedelta(days=30),
            route="verification",
        )

    return make
