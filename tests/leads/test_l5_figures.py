"""L5 figures as offices count them: a merged lead counts with its main lead, 予以了结 and a
transfer with feedback are dispositions (办结), an unregistered online report is 待受理 and
not 受理 — so a fully worked ledger shows 100%. Definitions beside each figure."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads import selectors, services
from leads.models import DispositionForm, LeadCategory, LeadConclusion

pytestmark = pytest.mark.django_db


def _conclude(org, lead):
    return services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.SUBSTANTIATED,
        result="经核查属实，已给予诫勉谈话",
        dealt_with="张三，诫勉谈话",
        disposition_form=DispositionForm.FIRST,
    )


def _online(org, summary="网上举报：某干警违规过问案件"):
    lead, _code = services.public_report_submit(
        office=org.office_a, category=LeadCategory.INTERFERENCE, summary=summary
    )
    return lead


def _worked_ledger(org, assigned, register, hotline):
    """Every kind of end a lead can reach, nothing left open."""
    main = assigned()
    _conclude(org, main)
    crossed = assigned()
    _conclude(org, crossed)
    services.lead_cross_off(lead=crossed, actor=org.office_staff)
    closed = register()
    services.lead_close(lead=closed, actor=org.office_staff, reason="反映内容不具体，无法核查")
    transferred = register()
    services.lead_transfer(
        lead=transferred, actor=org.office_staff, body="区纪委监委", date=timezone.localdate()
    )
    services.lead_transfer_feedback(
        lead=transferred,
        actor=org.office_staff,
        feedback="已立案审查",
        conclusion=LeadConclusion.SUBSTANTIATED,
    )
    duplicate = register()
    services.lead_merge(lead=duplicate, into=main, actor=org.office_staff)
    online_dup = _online(org)
    services.lead_merge(lead=online_dup, into=main, actor=org.office_staff)
    return main


def test_l5_a_fully_worked_ledger_shows_100_percent(client, org, assigned, register, hotline):
    _worked_ledger(org, assigned, register, hotline)
    figures = selectors.ledger_figures(org.office_staff)
    # 4 received (main, crossed off, closed, transferred); the 2 merged count with main.
    assert (figures.received, figures.concluded, figures.merged) == (4, 4, 2)
    assert (figures.pending, figures.handling, figures.crossed_off) == (0, 0, 1)
    assert figures.closure_rate == 100.0
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:ledger")).content.decode()
    assert re.search(r'id="closure-rate">100.0%<', page)


def test_l5_an_online_report_is_pending_until_registered(org, assigned, hotline):
    done = assigned()
    _conclude(org, done)
    online = _online(org)
    figures = selectors.ledger_figures(org.office_staff)
    assert (figures.received, figures.pending, figures.closure_rate) == (1, 1, 100.0)
    services.lead_register(
        lead=online,
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=hotline,
        category=online.category,
        summary=online.summary,
    )
    figures = selectors.ledger_figures(org.office_staff)
    assert (figures.received, figures.pending, figures.closure_rate) == (2, 0, 50.0)


def test_l5_figures_are_one_aggregate_query(org, assigned, register, hotline):
    _worked_ledger(org, assigned, register, hotline)
    with CaptureQueriesContext(connection) as ctx:
        selectors.ledger_figures(org.office_staff)
    # The user's role assignments (cached per request) and at most one aggregate (over the
    # whole scope: the maintained counters, less the one aggregate of the hidden rows, which
    # does not run when nothing is hidden from the user).
    assert len([q for q in ctx.captured_queries if "COUNT" in q["sql"].upper()]) <= 1


def test_l5_each_figure_has_its_definition_beside_it(client, org, assigned):
    assigned()
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:ledger")).content.decode()
    for key, definition in selectors.FIGURE_DEFINITIONS.items():
        card = re.search(rf'<div class="card" id="fig-{key}">(.*?)</div></div>', page, re.S)
        assert card, key
        assert "ⓘ" in card.group(1) and str(definition) in card.group(1), key
