"""S7 early declaration is provable later, and the selectors API leads reads it through
(L12 leniency, L4 declared names)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rectify.models import ChronicProblem
from selfcheck import selectors, services
from selfcheck.models import VersionAnswer

from .conftest import BIZ_ROW, FakePost, post_data, submit

pytestmark = pytest.mark.django_db


def test_s7_declarations_before_proves_early_declaration(org, django_assert_max_num_queries):
    v1 = submit(org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW])
    submit(org.officer_b, org.campaign)
    late = timezone.make_aware(
        dt.datetime.combine(org.campaign.selfcheck_deadline + dt.timedelta(days=2), dt.time(9))
    )
    report = services.report_for_officer(officer=org.officer_a2, campaign=org.campaign)
    services.report_submit(
        report=report,
        draft=services.draft_from_post(
            FakePost(post_data(yes=(ChronicProblem.INTERFERENCE,))),
            services.form_items(officer=org.officer_a2, campaign=org.campaign),
        ),
        actor=org.officer_a2.user,
        now=late,
    )
    ids = [org.officer_a.pk, org.officer_b.pk, org.officer_a2.pk]
    with django_assert_max_num_queries(2):
        result = selectors.declarations_before(
            officer_ids=ids, before=timezone.now() + dt.timedelta(days=60)
        )
    assert result == {org.officer_a.pk: {"business": v1.submitted_at}}  # a2 was outside the window
    assert selectors.declarations_before(officer_ids=ids, before=v1.submitted_at) == {}


def test_it_selectors_api_for_leads(org):
    lending = {
        "counterparty": "钱某某",
        "amount": "50000",
        "date": "2020-01-01",
        "duty_relation": "辖区企业主",
    }
    submit(
        org.officer_a,
        org.campaign,
        yes=(ChronicProblem.BUSINESS, ChronicProblem.LENDING),
        business=[BIZ_ROW],
        lending=[lending],
    )
    submit(org.officer_b, org.campaign)
    ids = set(selectors.officer_ids_with_any_declaration(campaign=org.campaign))
    assert ids == {org.officer_a.pk}
    assert set(selectors.officer_ids_with_any_declaration()) == {org.officer_a.pk}
    assert selectors.declared_names(officer=org.officer_a) == {
        "王芳",
        BIZ_ROW["enterprise"],
        "钱某某",
    }
    assert selectors.declared_names(officer=org.officer_b) == set()
    assert selectors.declared_names(officer=org.officer_a2) == set()
    # a later version without "yes" is what counts for "latest"
    report = org.officer_a.selfchecks.get()
    services.report_return(report=report, actor=org.reviewer, reason="x")
    submit(org.officer_a, org.campaign)
    assert set(selectors.officer_ids_with_any_declaration(campaign=org.campaign)) == set()
    assert selectors.declared_names(officer=org.officer_a) == set()
    assert VersionAnswer.objects.filter(yes=True).count() == 2
