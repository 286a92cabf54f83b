"""L12 自查从宽、被查从严: did the officer a lead is about declare that problem in time?"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.models import Lead
from leads.rules.leniency import DECLARED, LATE, NA, NOT_DECLARED, leniency_counts, leniency_for
from tests.factories import LeadFactory, ReportVersionFactory

# The project's date, not the machine's: the suite runs in UTC and in Asia/Shanghai alike.
TODAY = timezone.localdate()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`hour` o'clock on `day`, but never in the future: a declaration "today" made before
    10:00 would not exist yet, and the code rightly counts only what was submitted by now."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return max(start, min(moment, timezone.now() - dt.timedelta(milliseconds=1)))


def declare(officer, campaign, *, keys, day, in_window=True):
    """A submitted self-check version of `officer` declaring "yes" on `keys` on `day`."""
    return ReportVersionFactory(
        report__campaign=campaign,
        report__officer=officer,
        submitted_at=at(day),
        in_window=in_window,
        yes_on=keys,
    )


def lead_about(org, officer, *, category, received, number):
    return LeadFactory(
        number=number,
        office=org.office_a,
        summary="线索",
        category=category,
        received_date=received,
        subjects=[officer],
    )


@pytest.mark.django_db
def test_l12_declared_in_time_vs_late_vs_not_declared(org):
    declare(org.officer_a, org.campaign, keys=["business"], day=TODAY - dt.timedelta(days=5))
    declare(org.officer_a2, org.campaign, keys=["lending"], day=TODAY)
    in_time = lead_about(org, org.officer_a, category="business", received=TODAY, number="T-1")
    late = lead_about(
        org, org.officer_a2, category="lending", received=TODAY - dt.timedelta(days=2), number="T-2"
    )
    other_item = lead_about(org, org.officer_a, category="lending", received=TODAY, number="T-3")
    focus = lead_about(org, org.officer_a, category="umbrella", received=TODAY, number="T-4")
    free_text = LeadFactory(
        number="T-5",
        office=org.office_a,
        summary="x",
        category="business",
        received_date=TODAY,
        subjects=["不在册"],
    )
    leads = [in_time, late, other_item, focus, free_text]
    with CaptureQueriesContext(connection) as ctx:
        result = leniency_for(leads)
    assert len(ctx.captured_queries) == 2  # subjects, declarations: not one per lead
    assert result[in_time.pk].state == DECLARED
    assert result[in_time.pk].officers[0].declared_at == at(TODAY - dt.timedelta(days=5))
    assert result[late.pk].state == LATE
    assert result[other_item.pk].state == NOT_DECLARED  # declared business, lead is lending
    assert result[focus.pk].state == NA  # only the six chronic problems can match
    assert result[free_text.pk].state == NA


@pytest.mark.django_db
def test_l12_a_declaration_outside_the_window_does_not_count(org):
    declare(
        org.officer_a,
        org.campaign,
        keys=["business"],
        day=TODAY - dt.timedelta(days=3),
        in_window=False,
    )
    lead = lead_about(org, org.officer_a, category="business", received=TODAY, number="W-1")
    assert leniency_for([lead])[lead.pk].state == NOT_DECLARED


@pytest.mark.django_db
def test_l12_counted_on_the_ledger_self_declared_vs_found_by_investigation(org):
    declare(org.officer_a, org.campaign, keys=["business"], day=TODAY - dt.timedelta(days=5))
    lead_about(org, org.officer_a, category="business", received=TODAY, number="C-1")
    lead_about(org, org.officer_a2, category="business", received=TODAY, number="C-2")
    lead_about(org, org.officer_b, category="inaction", received=TODAY, number="C-3")
    lead_about(org, org.officer_a, category="other", received=TODAY, number="C-4")
    counts = leniency_counts(Lead.objects.all())
    assert counts == {"declared": 1, "investigated": 2, "na": 1}


@pytest.mark.django_db
def test_l12_badge_shows_on_a_lead(org):
    declare(org.officer_a, org.campaign, keys=["business"], day=TODAY - dt.timedelta(days=5))
    lead = lead_about(org, org.officer_a, category="business", received=TODAY, number="B-1")
    html = Template("{% load leads_screening %}{% leniency_badge lead %}").render(
        Context({"lead": lead})
    )
    assert "自查从宽" in html and "badge-ok" in html
    other = lead_about(org, org.officer_a2, category="business", received=TODAY, number="B-2")
    table = leniency_for([lead, other])
    html = Template("{% load leads_screening %}{% leniency_badge lead m %}").render(
        Context({"lead": other, "m": table})
    )
    assert "被查从严" in html and "badge-danger" in html


@pytest.mark.django_db
def test_l12_figure_on_the_screening_page(client, org):
    from django.urls import reverse

    declare(org.officer_a, org.campaign, keys=["business"], day=TODAY - dt.timedelta(days=5))
    lead_about(org, org.officer_a, category="business", received=TODAY, number="F-1")
    lead_about(org, org.officer_a2, category="business", received=TODAY, number="F-2")
    lead_about(org, org.officer_a2, category="lending", received=TODAY, number="F-3")
    client.force_login(org.office_staff)
    html = client.get(reverse("leads:screening")).content.decode()
    assert 'id="fig-declared">1<' in html and 'id="fig-investigated">2<' in html


@pytest.mark.django_db
def test_l12_ledger_count_in_sql_agrees_with_the_per_lead_badges(org):
    from leads.rules.leniency import DECLARED, LATE, NA, NOT_DECLARED

    declare(org.officer_a, org.campaign, keys=["business"], day=TODAY - dt.timedelta(days=5))
    declare(org.officer_a2, org.campaign, keys=["lending"], day=TODAY)  # late for C-3
    leads = [
        lead_about(org, org.officer_a, category="business", received=TODAY, number="C-1"),
        # received before the declaration: late, found by investigation
        lead_about(
            org,
            org.officer_a,
            category="business",
            received=TODAY - dt.timedelta(days=9),
            number="C-2",
        ),
        lead_about(org, org.officer_a2, category="lending", received=TODAY, number="C-3"),
        lead_about(org, org.officer_b, category="inaction", received=TODAY, number="C-4"),
        lead_about(org, org.officer_a, category="umbrella", received=TODAY, number="C-5"),
    ]
    badges = leniency_for(leads)
    states = [badges[lead.pk].state for lead in leads]
    assert states == [DECLARED, LATE, LATE, NOT_DECLARED, NA]
    counts = leniency_counts(Lead.objects.all())
    assert counts == {"declared": 1, "investigated": 3, "na": 1}
