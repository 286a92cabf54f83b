"""L3 smart screening: duplicates by character n-grams, officers in several leads, leads
against officers who declared nothing; all through leads_visible_to (recusal)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from leads.rules.screening import lead_grams_sync, similar_leads
from tests.factories import LeadFactory, OfficerFactory
from tests.leads.test_l12_leniency import declare

SUMMARIES = [
    "反映甲区法院张三利用职务便利插手其亲属民间借贷纠纷案件，向承办法官打招呼",
    "反映甲区公安分局某民警配偶经营KTV并为其提供保护",
    "群众反映派出所民警接警后不出警，有案不立",
]


def make_lead(org, number, summary, *officers, office=None):
    lead = LeadFactory(
        number=number,
        office=office or org.office_a,
        summary=summary,
        category="interference",
        subjects=officers,
    )
    lead_grams_sync(leads=[lead])
    return lead


@pytest.mark.django_db
def test_l3_duplicates_are_found_by_character_ngrams(org):
    leads = [make_lead(org, f"D-{i}", s) for i, s in enumerate(SUMMARIES)]
    typed = "张三插手亲属的民间借贷纠纷案件，给承办法官打招呼"  # reworded, no shared officer
    found = similar_leads(text=typed, user=org.intake)
    assert [s.lead for s in found] == [leads[0]]
    assert found[0].score > 0.3 and not found[0].same_officer
    assert similar_leads(text="完全无关的内容：食堂菜价", user=org.intake) == []


@pytest.mark.django_db
def test_l3_leads_about_the_same_officer_are_related(org):
    lead = make_lead(org, "O-1", SUMMARIES[1], org.officer_a2)
    found = similar_leads(text="另一件事", officer_ids=[org.officer_a2.pk], user=org.intake)
    assert [(s.lead, s.same_officer) for s in found] == [(lead, True)]
    assert (
        similar_leads(text="", officer_ids=[org.officer_a2.pk], exclude_id=lead.pk, user=org.intake)
        == []
    )


@pytest.mark.django_db
def test_l3_screening_respects_scope_and_recusal(org):
    make_lead(org, "R-1", SUMMARIES[0], office=org.office_b)
    assert similar_leads(text=SUMMARIES[0], user=org.intake) == []  # other office
    OfficerFactory(unit=org.district_a, user=org.intake, name="受理员", number="A556")
    make_lead(org, "R-2", SUMMARIES[0], org.intake.officer)
    assert similar_leads(text=SUMMARIES[0], user=org.intake) == []  # they are the subject


@pytest.mark.django_db
def test_l3_similar_endpoint_returns_the_partial_for_the_registration_form(client, org):
    make_lead(org, "H-1", SUMMARIES[0])
    client.force_login(org.intake)
    response = client.get(
        reverse("leads:similar"), {"summary": SUMMARIES[0][:30]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "H-1" in response.content.decode()
    client.force_login(org.officer_a.user)
    assert client.get(reverse("leads:similar"), {"summary": "x"}).status_code == 403


@pytest.mark.django_db
def test_l3_page_lists_officers_in_several_leads_and_leads_against_non_declarers(client, org):
    declare(org.officer_a, org.campaign, keys=["business"], day=timezone.localdate())
    make_lead(org, "P-1", SUMMARIES[0], org.officer_a)
    make_lead(org, "P-2", SUMMARIES[1], org.officer_a)
    make_lead(org, "P-3", SUMMARIES[2], org.officer_a2)
    make_lead(org, "P-4", SUMMARIES[2], org.officer_b, office=org.office_b)
    client.force_login(org.office_staff)
    html = client.get(reverse("leads:screening")).content.decode()
    repeated = html.split('id="repeated-officers"')[1].split("</table>")[0]
    assert org.officer_a.name in repeated and org.officer_a2.name not in repeated
    undeclared = html.split('id="undeclared-leads"')[1].split("</table>")[0]
    assert "P-3" in undeclared  # officer_a2 declared nothing
    assert "P-1" not in undeclared and "P-4" not in undeclared  # declared / other office


@pytest.mark.django_db
def test_l3_page_query_count_is_constant(client, org):
    client.force_login(org.office_staff)

    def count(n, prefix):
        for i in range(n):
            make_lead(org, f"{prefix}-{i}", SUMMARIES[i % 3], org.officer_a2, org.officer_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("leads:screening")).status_code == 200
        return len(ctx.captured_queries)

    assert count(3, "Q") == count(40, "Z")


@pytest.mark.django_db
def test_l3_bench_command_reports_latency_and_leaves_nothing(capsys):
    import json

    from django.core.management import call_command

    call_command("bench", "leads_similar", "--leads", "400", "--officers", "50", "--repeat", "1")
    out = json.loads(capsys.readouterr().out)
    assert out["benchmark"] == "leads_similar" and out["probe_found_first"]
    assert out["text"]["median_ms"] < 1000
    assert not Lead.objects.filter(number__startswith="基准区-").exists()  # rolled back
