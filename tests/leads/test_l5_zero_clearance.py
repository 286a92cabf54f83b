"""L5: a lead is crossed off only when concluded; the closure rate is concluded / received."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leads import selectors, services
from leads.models import DispositionForm, LeadConclusion, LeadStatus
from leads.workflow import LeadWorkflowError

pytestmark = pytest.mark.django_db


def conclude(org, lead):
    return services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.SUBSTANTIATED,
        result="经核查属实，已给予诫勉谈话",
        dealt_with="张三，诫勉谈话",
        disposition_form=DispositionForm.FIRST,
    )


def test_l5_crossed_off_only_when_concluded(org, assigned):
    lead = assigned()
    with pytest.raises(LeadWorkflowError):
        services.lead_cross_off(lead=lead, actor=org.office_staff)
    conclude(org, lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED and lead.concluded_at
    services.lead_cross_off(lead=lead, actor=org.office_staff)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CROSSED_OFF and lead.crossed_off_at


def test_l5_substantiated_needs_the_four_forms(org, assigned):
    lead = assigned()
    with pytest.raises(LeadWorkflowError):
        services.lead_conclude(
            lead=lead,
            actor=org.handler.user,
            conclusion=LeadConclusion.SUBSTANTIATED,
            result="属实",
        )


def test_l5_substantiated_records_the_persons_dealt_with(client, org, assigned):
    lead = assigned()
    with pytest.raises(LeadWorkflowError, match="处理人员"):
        services.lead_conclude(
            lead=lead,
            actor=org.handler.user,
            conclusion=LeadConclusion.PARTLY,
            result="部分属实",
            disposition_form=DispositionForm.SECOND,
        )
    client.force_login(org.handler.user)
    client.post(
        reverse("leads:conclude", args=[lead.pk]),
        {
            "conclusion": "partly",
            "disposition_form": "2",
            "dealt_with": "张三，副庭长，党内警告",
            "result": "部分属实，给予党内警告处分",
        },
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED
    assert (lead.disposition_form, lead.dealt_with) == ("2", "张三，副庭长，党内警告")
    sheet = client.get(reverse("leads:archive_sheet", args=[lead.pk])).content.decode()
    assert "张三，副庭长，党内警告" in sheet and "第二种形态" in sheet


def test_l5_closure_rate_for_scope_and_period(org, assigned, register):
    leads = [assigned() for _ in range(4)]
    register(office=org.office_b)  # another jurisdiction: not in office_a's figures
    conclude(org, leads[0])
    services.lead_cross_off(lead=leads[0], actor=org.office_staff)
    conclude(org, leads[1])
    figures = selectors.ledger_figures(org.office_staff)
    assert (figures.received, figures.concluded, figures.crossed_off) == (4, 2, 1)
    assert figures.closure_rate == 50.0
    chief = selectors.ledger_figures(org.chief)
    assert (chief.received, chief.concluded) == (5, 2)

    later = leads[0].received_date + dt.timedelta(days=1)
    empty = selectors.ledger_figures(org.office_staff, date_from=later)
    assert empty.received == 0 and empty.closure_rate is None


def test_l5_ledger_bench_opens_every_daily_page_and_leaves_nothing(capsys):
    import json

    from django.core.management import call_command

    from leads.models import Lead

    call_command("bench", "leads_ledger", "--leads", "300", "--officers", "30", "--repeat", "1")
    out = json.loads(capsys.readouterr().out)
    assert out["benchmark"] == "leads_ledger" and out["leads"] == 300
    for page in ("ledger", "ledger_filtered", "oversight_board", "home"):
        assert out[f"office_{page}"]["median_ms"] > 0 and out[f"leader_{page}"]["max_ms"] > 0
    assert not Lead.objects.filter(number__startswith="基准区-").exists()  # rolled back


def test_l5_ledger_closure_rate_for_a_chosen_subtree_and_period(client, org, assigned, register):
    import re

    in_bureau = [assigned(), assigned()]  # handled by the police bureau
    conclude(org, in_bureau[0])
    register()  # not yet assigned: counts for the office, not for the bureau
    client.force_login(org.office_staff)
    url = reverse("leads:ledger")

    def rate(**params):
        page = client.get(url, params).content.decode()
        return re.search(r'id="closure-rate">([^<]*)<', page).group(1)

    assert rate() == "33.3%"
    assert rate(unit=org.police_a.pk) == "50.0%"
    assert rate(unit=org.police_a.pk, status="concluded") == "50.0%"  # status lists, not counts
    tomorrow = (in_bureau[0].received_date + dt.timedelta(days=1)).isoformat()
    assert rate(**{"from": tomorrow}) == "—"
