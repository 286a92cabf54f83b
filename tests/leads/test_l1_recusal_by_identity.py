"""L1 recusal by identity (issue 9): a subject typed as a name or number is matched against
the whole officer register; every officer it may mean is recused until intake confirms the
officer or rules the match out (被反映人待确认)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import access, services
from leads.ledger import import_ledger
from leads.models import CandidateState, Lead, LeadSubjectCandidate
from rectify.models import AuditEvent, Role
from tests.factories import OfficerFactory, UserFactory, grant
from tests.leads.test_l5_ledger_import import canonical_xlsx, row


@pytest.fixture
def cast(org):
    """The intake officer has an officer record (钱受理); a second intake colleague; the
    city leader has one too (陈书记), and somebody in district B shares his name."""
    org.intake_officer = OfficerFactory(unit=org.district_a, user=org.intake, name="钱受理")
    org.intake2 = UserFactory(username="intake_a2")
    grant(org.intake2, Role.INTAKE, org.district_a, org.office_a)
    org.chief_officer = OfficerFactory(unit=org.city, user=org.chief, name="陈书记")
    org.namesake_b = OfficerFactory(unit=org.court_b, name="陈书记")
    return org


def public(org, subject: str, **kw):
    lead, _code = services.public_report_submit(
        office=org.office_a,
        category="interference",
        summary="反映有人违规过问案件，情况具体",
        subject_text=subject,
        **kw,
    )
    return lead


def visible(user, lead) -> bool:
    return access.leads_visible_to(user).filter(pk=lead.pk).exists()


def test_l1_public_report_naming_the_intake_officer_is_hidden_from_him(cast, client):
    lead = public(cast, "钱受理")
    assert not visible(cast.intake, lead)
    client.force_login(cast.intake)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404
    assert client.get(reverse("leads:register_existing", args=[lead.pk])).status_code == 404
    assert lead.summary not in client.get(reverse("leads:intake")).content.decode()
    # ... it goes to the office's other intake staff, who see it as 被反映人待确认.
    client.force_login(cast.intake2)
    page = client.get(reverse("leads:intake")).content.decode()
    assert "被反映人待确认" in page and "钱受理" in page
    assert "确认为此人" in page


def test_l1_a_report_naming_the_leader_is_hidden_from_him_whatever_the_scope(cast, client):
    by_public = public(cast, "陈书记")
    # A district registrar (scope: district A) types the leader's name too.
    registered = services.lead_register(
        office=cast.office_a,
        actor=cast.intake2,
        received_date=timezone.localdate(),
        channel=by_public.channel,
        category="interference",
        summary="反映市领导插手案件",
        subjects=[services.SubjectInput(name="陈书记")],
    )
    for lead in (by_public, registered):
        assert not visible(cast.chief, lead)
        # The officer of that name in district B is recused too (it may mean him).
        assert LeadSubjectCandidate.objects.filter(
            lead=lead, officer=cast.namesake_b, state=CandidateState.PENDING
        ).exists()
    client.force_login(cast.chief)
    assert client.get(reverse("leads:detail", args=[registered.pk])).status_code == 404
    # The district registrar is not shown officers outside district A: counted, not named.
    client.force_login(cast.intake2)
    page = client.get(reverse("leads:detail", args=[registered.pk])).content.decode()
    assert "被反映人待确认" in page
    assert "另有 2 名辖区外同名" in page
    assert cast.court_b.name not in page and cast.city.name not in page


def test_l1_a_registrar_naming_himself_never_sees_the_lead(cast, client, hotline):
    client.force_login(cast.intake)
    response = client.post(
        reverse("leads:register"),
        {
            "office": cast.office_a.pk,
            "received_date": timezone.localdate().isoformat(),
            "channel": hotline.pk,
            "category": "interference",
            "summary": "反映受理人员本人违规",
            "subjects": "钱受理",
            "reporter_anonymous": "on",
        },
    )
    assert response.status_code == 302 and response.url == reverse("leads:intake")
    lead = Lead.objects.get(summary="反映受理人员本人违规")
    assert not visible(cast.intake, lead)
    assert visible(cast.intake2, lead)


def test_l1_confirming_or_ruling_out_a_candidate(cast, client):
    lead = public(cast, "钱受理")
    candidate = LeadSubjectCandidate.objects.get(lead=lead, officer=cast.intake_officer)
    client.force_login(cast.intake2)
    url = reverse("leads:subject_decide", args=[lead.pk, candidate.pk])
    response = client.post(url, {"decision": "rule_out", "next": "intake"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.RULED_OUT
    assert visible(cast.intake, lead)  # ruled out: no longer recused
    assert AuditEvent.objects.filter(action="leads.lead.subject_ruled_out").exists()

    other = public(cast, "钱受理")
    candidate = LeadSubjectCandidate.objects.get(lead=other, officer=cast.intake_officer)
    client.post(
        reverse("leads:subject_decide", args=[other.pk, candidate.pk]), {"decision": "confirm"}
    )
    assert other.subjects.get().officer == cast.intake_officer
    assert not visible(cast.intake, other)


def test_l1_candidates_outside_the_scope_cannot_be_decided(cast, client):
    lead = public(cast, "陈书记")
    candidate = LeadSubjectCandidate.objects.get(lead=lead, officer=cast.namesake_b)
    client.force_login(cast.intake2)
    url = reverse("leads:subject_decide", args=[lead.pk, candidate.pk])
    assert client.post(url, {"decision": "rule_out"}).status_code == 404
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PENDING


def test_l1_a_subject_typed_as_a_number_matches_too(cast):
    lead = public(cast, cast.chief_officer.number)
    assert not visible(cast.chief, lead)


def test_l1_an_imported_subject_name_recuses_the_officer(cast, channels):
    upload = io.BytesIO(canonical_xlsx([row("甲区-2021-0009", subjects="钱受理")]))
    result = import_ledger(upload=upload, office=cast.office_a, actor=cast.intake2)
    assert result.ok, [str(e) for e in result.errors]
    lead = Lead.objects.get(number="甲区-2021-0009")
    assert visible(cast.intake2, lead)
    assert not visible(cast.intake, lead)


def test_l1_recusal_stays_one_query_of_id_subqueries(cast, django_assert_num_queries):
    public(cast, "钱受理")
    qs = access.leads_visible_to(cast.intake)  # an officer of the register: recusal applies
    # The lead table alone, filtered by id subqueries (no join, no sort on a joined set).
    outer = str(qs.query).upper().split(" WHERE ")[0]
    assert "JOIN" not in outer
    assert "LEADS_LEADSUBJECTCANDIDATE" in str(qs.query).upper()
    with django_assert_num_queries(1):
        list(qs)
    # An account with no officer is nobody's subject: no recusal terms to plan around.
    assert (
        "LEADS_LEADSUBJECTCANDIDATE" not in str(access.leads_visible_to(cast.intake2).query).upper()
    )
