"""S3 leading cadres first: their figures apart and first, their earlier deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from selfcheck import selectors, services

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_s3_cadre_figures_separate_and_earlier_deadline_makes_late(org):
    campaign = org.campaign
    between = campaign.cadre_deadline + dt.timedelta(days=1)
    assert between <= campaign.selfcheck_deadline
    submit(org.officer_a, campaign)
    fig = selectors.unit_figures(unit=org.district_a, campaign=campaign, today=between)
    # cadres: 赵院长 + 周局长, not submitted, past their deadline
    assert (fig.cadre_required, fig.cadre_submitted, fig.cadre_late) == (2, 0, 2)
    # ordinary officers who have not submitted are not late yet
    assert fig.late == 2 and fig.submitted == 1
    later = campaign.selfcheck_deadline + dt.timedelta(days=1)
    fig = selectors.unit_figures(unit=org.district_a, campaign=campaign, today=later)
    assert fig.late == fig.required - fig.submitted


def test_s3_cadre_submission_after_cadre_deadline_is_late(org):
    when = timezone.make_aware(
        dt.datetime.combine(org.campaign.cadre_deadline + dt.timedelta(days=1), dt.time(10))
    )
    report = services.report_for_officer(officer=org.cadre_a, campaign=org.campaign)
    from .conftest import draft_of

    services.report_submit(
        report=report, draft=draft_of(org.cadre_a, org.campaign), actor=org.cadre_a.user, now=when
    )
    report.refresh_from_db()
    assert report.first_in_window is False and selectors.report_is_late(report)


def test_s3_figures_page_shows_cadres_first(client, org):
    client.force_login(org.chief)
    text = client.get(reverse("selfcheck:figures")).content.decode()
    assert text.index("cadre-figures") < text.index("all-figures")
