"""#14: the leads' part of `generate_province` (leads.dev.province) and its bench pages.

The generated leads must look like the services' own: every workflow state, timelines that
walk the transition table to the lead's state, the two signatures of an unfounded
conclusion, the recusal candidates and grams the services would write, counters equal to
the rows — and a subject still never sees their lead.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from leads.dev.province import fingerprint
from leads.models import (
    CandidateState,
    EventKind,
    Lead,
    LeadConclusion,
    LeadCounter,
    LeadEvent,
    LeadGram,
    LeadOriginal,
    LeadStatus,
    LeadSubject,
    LeadSubjectCandidate,
)
from leads.rules.screening import grams
from leads.services import lead_subject_candidates_sync
from leads.workflow import TRANSITIONS, needs_two_signatures
from rectify import figures
from rectify.models import AuditEvent, Officer
from rectify.province import SCALES, Province
from tests.province_bench import bench_pages

S = LeadStatus


class _Undo(Exception):
    pass


def _generate(seed: int, scale: str = "town") -> Province:
    call_command("generate_province", scale=scale, seed=seed, stdout=StringIO())
    p = Province.load(seed, scale)
    assert p is not None
    return p


def _leads(p: Province):
    return Lead.objects.filter(office__jurisdiction__path__startswith=p.root.path)


@pytest.mark.django_db
def test_the_leads_part_is_deterministic_per_seed():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                prints.append(fingerprint(_generate(11)))
                raise _Undo
        except _Undo:
            pass
    assert prints[0] == prints[1]
    assert prints[0][0] == SCALES["town"].leads


@pytest.mark.django_db
def test_generated_leads_are_what_the_services_would_have_written():
    p = _generate(12)
    leads = _leads(p)
    assert leads.count() == SCALES["town"].leads
    assert set(leads.values_list("status", flat=True)) == set(S.values)

    events: dict[int, list] = {}
    for lead_id, kind, data in (
        LeadEvent.objects.filter(lead__in=leads)
        .order_by("at", "id")
        .values_list("lead_id", "kind", "data")
    ):
        events.setdefault(lead_id, []).append((kind, data))
    for lead in leads.prefetch_related("signatures"):
        moves = [d for k, d in events.get(lead.pk, []) if k == EventKind.TRANSITION]
        first = S.UNREGISTERED if lead.is_public else S.REGISTERED
        state = first
        for move in moves:  # the timeline walks the transition table to the lead's state
            assert move["from"] == state, (lead.pk, moves)
            assert move["to"] in TRANSITIONS[state], (lead.pk, moves)
            state = move["to"]
        assert state == lead.status, (lead.pk, lead.status, moves)
        if lead.status != S.UNREGISTERED:
            assert re.fullmatch(
                rf"{re.escape(lead.office.short_name)}-\d{{4}}-\d{{4}}", lead.number
            )
        if lead.status in (S.HANDLING, S.SIGNING):
            assert lead.handler_id and lead.handling_unit_id and lead.deadline
            assert lead.handler.unit.path.startswith(lead.handling_unit.path)
        signed = any(d.get("to") == S.SIGNING for d in moves)
        if lead.status == S.CONCLUDED and signed:
            assert lead.conclusion == LeadConclusion.UNFOUNDED
            assert needs_two_signatures(lead) is None  # L9: both live signatures bind
            assert lead.archived_at is not None
        if lead.status == S.SIGNING:
            assert needs_two_signatures(lead) is not None
        if lead.status in (S.CONCLUDED, S.CROSSED_OFF):
            assert lead.concluded_at and lead.conclusion and lead.result
        if lead.status == S.MERGED:
            assert lead.merged_into.status not in (S.MERGED, S.UNREGISTERED)
        if not lead.reporter_anonymous and not lead.is_public:
            assert lead.reporter_name and lead.reporter_name_enc != lead.reporter_name
        if lead.is_public:
            assert lead.receipt_hash and LeadOriginal.objects.filter(lead=lead).exists()
    # The numbering goes on from where the generator stopped.
    for counter in LeadCounter.objects.filter(office__jurisdiction__path__startswith=p.root.path):
        year = f"-{counter.year}-"
        numbers = leads.filter(office=counter.office, number__contains=year)
        assert numbers.count() == counter.last
    # Overdue at the dataset's clock, and listed supervision.
    assert leads.filter(status__in=[S.HANDLING], deadline__lt=p.today).exists()
    assert leads.filter(supervisor__isnull=False).exists()

    # The rows the services derive are the ones they would have written.
    sample = list(leads.order_by("id")[:40])
    for lead in sample:
        stored = set(LeadGram.objects.filter(lead=lead).values_list("gram", flat=True))
        assert stored == {g for g in grams(lead.summary) if len(g) <= 8}
    before = LeadSubjectCandidate.objects.filter(lead__in=leads).count()
    assert lead_subject_candidates_sync(lead_ids=leads.values_list("id", flat=True)) == 0
    assert LeadSubjectCandidate.objects.filter(lead__in=leads).count() == before
    assert LeadSubject.objects.filter(lead__in=leads, officer__isnull=True).exists()
    assert LeadSubjectCandidate.objects.filter(
        lead__in=leads, state=CandidateState.PENDING
    ).exists()

    # Counters equal to the rows, and audit events about the leads.
    assert figures.stored(campaign=p.campaign) == figures.computed(campaign=p.campaign)
    assert AuditEvent.objects.filter(object_type="leads.lead").exists()


@pytest.mark.django_db
def test_a_subject_of_a_generated_lead_does_not_see_it():
    p = _generate(13)
    staff = p.user("office")
    client = Client()
    client.force_login(staff)
    linked = (
        LeadSubject.objects.filter(
            lead__in=_leads(p).exclude(status=S.UNREGISTERED),
            officer__isnull=False,
            officer__user__isnull=True,
        )
        .select_related("lead", "officer")
        .order_by("id")
        .first()
    )
    named = (
        LeadSubjectCandidate.objects.filter(
            lead__in=_leads(p).exclude(status=S.UNREGISTERED),
            state=CandidateState.PENDING,
            officer__user__isnull=True,
        )
        .select_related("lead", "officer")
        .order_by("id")
        .first()
    )
    for row in (linked, named):
        lead = row.lead
        url = reverse("leads:ledger") + f"?q={lead.number}"
        row_link = f'href="{reverse("leads:detail", args=[lead.pk])}"'
        assert row_link in client.get(url).content.decode()
        Officer.objects.filter(user=staff).update(user=None)
        Officer.objects.filter(pk=row.officer_id).update(user=staff)
        client = Client()
        client.force_login(staff)
        assert row_link not in client.get(url).content.decode()
        assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404
        Officer.objects.filter(pk=row.officer_id).update(user=None)


@pytest.mark.django_db(transaction=True)
def test_the_leads_bench_pages_cost_the_same_at_two_sizes(tmp_path):
    _generate(3, "district")
    _generate(3, "town")
    data = bench_pages(tmp_path, seed=3, only="leads")
    names = {s["name"] for s in data["scenarios"]}
    assert {
        "leads.ledger.office.first",
        "leads.ledger.office.deep",
        "leads.ledger.office.filtered",
        "leads.ledger.leader.first",
        "leads.ledger.d_office.first",
        "leads.oversight.leader",
        "leads.similar.intake",
    } <= names
