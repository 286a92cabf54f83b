"""Smart screening (L3): likely duplicates and related leads by character n-grams.

Chinese has no spaces, so summaries are compared as sets of character bigrams (after
folding full-width characters and dropping punctuation and white space). To answer in
well under a second at 50,000 leads on SQLite and PostgreSQL alike, the grams of every
lead's summary are meant to be kept in an indexed table (one row per lead and gram); a
query then looks up candidates by the *rarest* grams of the query text only, and scores
the few candidates in Python with the Dice coefficient.

Wiring for the rest of the leads app:
- after a lead's summary is created or changed (lead_register, any edit, public reports):
  `lead_grams_sync(leads=[lead])` inside the same transaction; `manage.py
  backfill_lead_grams` rebuilds the table for existing leads;
- the registration form calls the htmx endpoint `leads:similar` while typing, e.g.
  `<textarea name="summary" hx-get="{% url 'leads:similar' %}" hx-trigger="keyup changed
  delay:500ms" hx-target="#similar-leads" hx-include="[name=subject_officers]">` and an empty
  `<div id="similar-leads"></div>`; parameters: summary, officers or subject_officers
  (repeated ids), exclude (the lead being edited);
- lead page / ledger rows: `{% load leads_screening %}{% leniency_badge lead %}` (or with a
  map from leads.rules.leniency.leniency_for(page.items) on lists); the ledger figure is
  leads.rules.leniency.leniency_counts(scoped_queryset);
- links: `leads:screening` (智能排查), `leads:import` (导入台账), `leads:ledger_export`
  (pass the ledger's query string: office, status, category, channel, unit, from, to, q).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count

from ..access import leads_visible_to
from ..models import Lead, LeadGram, LeadSubject

if TYPE_CHECKING:
    from rectify.models import AnyUser

# Everything that is not a letter or digit (CJK ideographs are letters) is a separator.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)

# Grams so common in lead summaries that they say nothing about similarity.
STOP_GRAMS = frozenset(
    {
        "反映",
        "问题",
        "存在",
        "情况",
        "其中",
        "有关",
        "相关",
        "进行",
        "工作",
        "干警",
        "群众",
        "举报",
    }
)


def normalise(text: str) -> list[str]:
    """Text folded (NFKC, lower case) and split into runs of letters/digits."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return [run for run in _SEPARATORS.split(folded) if run]


def grams(text: str, n: int = 2) -> set[str]:
    """The set of character n-grams of `text` (runs shorter than n count as one gram)."""
    out: set[str] = set()
    for run in normalise(text):
        if len(run) < n:
            if len(run) > 1 or not run.isascii():
                out.add(run)
            continue
        out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out - STOP_GRAMS


def dice(a: set[str], b: set[str]) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|) in [0, 1]."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def rarest(query_grams: Iterable[str], frequency: dict[str, int], k: int = 8) -> list[str]:
    """The k grams of the query that occur in the fewest leads (unknown grams skipped: they
    cannot find anything)."""
    known = [g for g in query_grams if frequency.get(g)]
    known.sort(key=lambda g: (frequency[g], g))
    return known[:k]


# --- the indexed gram table ------------------------------------------------------------

CANDIDATES = 300  # leads scored in Python per query, at most
GRAM_CHUNK = 1000  # leads whose gram rows are rewritten at a time
MIN_SCORE = 0.2


def lead_grams_sync(*, leads: Iterable[Lead]) -> None:
    """Rewrite the gram rows of the given leads from their summaries (bulk, no query per
    lead). Leads' services call this after saving a summary; `backfill_lead_grams` runs it
    over the whole table."""
    leads = list(leads)
    # A thousand leads at a time: a 50,000-row import held 1.5 million gram objects at
    # once (350 MB of the import's peak); a chunk holds about 30,000.
    for start in range(0, len(leads), GRAM_CHUNK):
        chunk = leads[start : start + GRAM_CHUNK]
        LeadGram.objects.filter(lead_id__in=[lead.pk for lead in chunk]).delete()
        LeadGram.objects.bulk_create(
            [
                LeadGram(lead_id=lead.pk, gram=gram)
                for lead in chunk
                for gram in sorted(grams(lead.summary))
                if len(gram) <= 8
            ],
            batch_size=5000,
        )


@dataclass
class Similar:
    lead: Any
    score: float
    same_officer: bool
    reasons: list[str] = field(default_factory=list)


def similar_leads(
    *,
    text: str,
    officer_ids: Iterable[int | str] = (),
    exclude_id: int | None = None,
    user: AnyUser,
    limit: int = 10,
) -> list[Similar]:
    """Likely duplicates and related leads the user may see: same subject officer, or a
    summary similar by character bigrams (Dice >= MIN_SCORE). Best first.

    Cost: one query for the query grams' frequencies, one for candidates by the rarest
    grams, one for same-officer leads, one to load the (visible) candidates — whatever
    the size of the ledger.
    """
    query = grams(text or "")
    officer_ids = [int(i) for i in officer_ids if i]
    scores: dict[int, float] = {}
    if query:
        # Frequencies among the *other* leads: counting the lead's own grams made its rarest
        # grams the ones no other lead has, so an online report found the lead that found
        # it at 75% to be 未发现相似线索 (similarity must be symmetric).
        frequency = dict(
            LeadGram.objects.filter(gram__in=list(query))
            .exclude(lead_id=exclude_id)
            .values_list("gram")
            .annotate(n=Count("id"))
            .values_list("gram", "n")
        )
        pick = rarest(query, frequency)
        if pick:
            candidates = (
                LeadGram.objects.filter(gram__in=pick)
                .exclude(lead_id=exclude_id)
                .values_list("lead_id")
                .annotate(hits=Count("id"))
                .order_by("-hits", "-lead_id")
                .values_list("lead_id", flat=True)[:CANDIDATES]
            )
            scores = dict.fromkeys(candidates, 0.0)
    same: set[int] = set()
    if officer_ids:
        same = set(
            LeadSubject.objects.filter(officer_id__in=officer_ids)
            .exclude(lead_id=exclude_id)
            .values_list("lead_id", flat=True)
            .distinct()[:CANDIDATES]
        )
    ids = set(scores) | same
    if not ids:
        return []
    results: list[Similar] = []
    visible = leads_visible_to(user).filter(pk__in=ids).select_related("office", "channel")
    for lead in visible:
        score = dice(query, grams(lead.summary)) if query else 0.0
        is_same = lead.pk in same
        if score < MIN_SCORE and not is_same:
            continue
        reasons = []
        if is_same:
            reasons.append("同一被反映人")
        if score >= MIN_SCORE:
            reasons.append(f"摘要相似度 {score:.0%}")
        results.append(Similar(lead=lead, score=score, same_officer=is_same, reasons=reasons))
    # Same subject officer counts as a strong hint; similar text ranks within it.
    results.sort(key=lambda s: (-(s.score + (0.5 if s.same_officer else 0.0)), -s.lead.pk))
    return results[:limit]


def backfill_grams(*, batch: int = 2000) -> int:
    """Rebuild the gram rows of every lead, in batches (each batch one transaction)."""
    done = 0
    last = 0
    while True:
        leads = list(Lead.objects.filter(pk__gt=last).order_by("pk").only("id", "summary")[:batch])
        if not leads:
            return done
        with transaction.atomic():
            lead_grams_sync(leads=leads)
        done += len(leads)
        last = leads[-1].pk
