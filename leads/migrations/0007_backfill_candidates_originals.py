"""Backfill: recusal candidates for the subjects already stored (the same rules as
leads.services.lead_subject_candidates_sync, on the historical models), and the original
report of public reports not yet registered (their text is still the reporter's)."""

from __future__ import annotations

import re
import unicodedata

from django.db import migrations
from django.db.models import Q


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def forwards(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    LeadSubject = apps.get_model("leads", "LeadSubject")
    Candidate = apps.get_model("leads", "LeadSubjectCandidate")
    Original = apps.get_model("leads", "LeadOriginal")
    Officer = apps.get_model("rectify", "Officer")

    subjects = list(LeadSubject.objects.values_list("lead_id", "officer_id", "name"))
    keys = {_key(n) for _l, o, n in subjects if not o} - {""}
    by_key: dict[str, list[int]] = {}
    key_list = sorted(keys)
    for start in range(0, len(key_list), 1000):
        part = key_list[start : start + 1000]
        for pk, name, number in Officer.objects.filter(
            Q(name__in=part) | Q(number__in=part)
        ).values_list("id", "name", "number"):
            for key in {_key(name), _key(number)} & keys:
                by_key.setdefault(key, []).append(pk)
    wanted: dict[tuple[int, int], tuple[str, str]] = {}
    for lead_id, officer_id, name in subjects:
        if officer_id:
            wanted[(lead_id, officer_id)] = (name, "confirmed")
    for lead_id, officer_id, name in subjects:
        if not officer_id:
            for pk in by_key.get(_key(name), []):
                wanted.setdefault((lead_id, pk), (name, "pending"))
    Candidate.objects.bulk_create(
        [
            Candidate(lead_id=lead_id, officer_id=officer_id, name=name[:100], state=state)
            for (lead_id, officer_id), (name, state) in wanted.items()
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    originals = []
    for lead in Lead.objects.filter(is_public=True, status="unregistered").prefetch_related(
        "subjects"
    ):
        first = next(iter(lead.subjects.all()), None)
        originals.append(
            Original(
                lead_id=lead.pk,
                text=lead.summary,
                subject_name=first.name if first else "",
                subject_unit=first.unit_name if first else "",
                category=lead.category,
                submitted_at=lead.created_at,
            )
        )
    Original.objects.bulk_create(originals, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0006_subject_candidates_original"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
