"""Intake (L1): numbering, subjects and their register candidates, registering and editing
a lead, and the audited reads of a lead and of the reporter's identity.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Office, Officer, Unit

from ..access import can_reveal_reporter
from ..audit import (
    LEAD_EDITED,
    LEAD_ORIGINAL_READ,
    LEAD_READ,
    LEAD_REGISTERED,
    LEAD_REPORTER_REVEALED,
    LEAD_SUBJECT_CONFIRMED,
    LEAD_SUBJECT_RULED_OUT,
    audit_read,
)
from ..figures import touch_leads
from ..models import (
    CandidateState,
    Channel,
    EventKind,
    Lead,
    LeadCounter,
    LeadSubject,
    LeadSubjectCandidate,
)
from ..rules.screening import lead_grams_sync
from ..selectors.subjects import SubjectInput
from ..workflow import (
    LeadWorkflowError,
    lead_transition,
    lock,
)
from .attachments import attachments_add
from .common import (
    CANDIDATE_DECIDED,
    NOT_EDITABLE,
    NOT_INTAKE,
    RECEIVED_IN_FUTURE,
    S,
    _event,
    _touch,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from rectify.models import User

# --- numbering ------------------------------------------------------------------------


def _counter(office: Office, year: int) -> LeadCounter:
    try:
        with transaction.atomic():
            counter, _created = LeadCounter.objects.get_or_create(office=office, year=year)
    except IntegrityError:  # created concurrently
        pass
    return LeadCounter.objects.select_for_update().get(office=office, year=year)


def lead_next_number(*, office: Office, year: int) -> str:
    """`<short_name>-<year>-<0001>`; must run inside a transaction (the counter row is locked
    until commit, so two registrations never get the same number)."""
    counter = _counter(office, year)
    while True:
        counter.last += 1
        number = f"{office.short_name}-{year}-{counter.last:04d}"
        if not Lead.objects.filter(number=number).exists():  # e.g. imported ledgers
            break
    counter.save(update_fields=["last"])
    return number


# --- intake (L1) ----------------------------------------------------------------------


def _set_subjects(lead: Lead, subjects: list[SubjectInput]) -> None:
    lead.subjects.all().delete()
    rows = []
    for s in subjects:
        name = (s.name or (s.officer.name if s.officer else "")).strip()
        if not name:
            continue
        unit_name = s.unit_name or (s.officer.unit.name if s.officer else "")
        row = LeadSubject(lead=lead, officer=s.officer, name=name, unit_name=unit_name)
        row.full_clean()
        rows.append(row)
    LeadSubject.objects.bulk_create(rows)
    lead_subject_candidates_sync(lead_ids=[lead.pk])
    touch_leads([lead.pk])  # L12 counts the subject officers


def _subject_key(text: str) -> str:
    """A typed name or number as the register spells it: width-folded, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


_SYNC_CHUNK = 1000


def lead_subject_candidates_sync(*, lead_ids: Iterable[int]) -> int:
    """(Re)write the recusal candidates (LeadSubjectCandidate) of these leads from their
    current subjects; call it after every write of LeadSubject rows, bulk ones included (the
    ledger import). Rules: a subject linked to an officer is that officer (confirmed); an
    unlinked subject's name or number is looked up in the WHOLE officer register, not the
    writer's scope (the rows only exclude: nobody is shown them outside their scope), and
    every officer it may mean is pending until intake confirms or rules them out. Decisions
    already taken are kept while the subject stays; rows of subjects that are gone are
    dropped. A fixed number of queries per 1,000 leads. Returns the number of rows written."""
    ids = sorted({int(i) for i in lead_ids if i})
    written = 0
    for start in range(0, len(ids), _SYNC_CHUNK):
        chunk = ids[start : start + _SYNC_CHUNK]
        subjects = list(
            # No ordering: the models' default orders by the lead's received date, a join
            # that the planner ran as 5,000 index probes per chunk inside a large import.
            LeadSubject.objects.filter(lead_id__in=chunk)
            .order_by()
            .values_list("lead_id", "officer_id", "name")
        )
        keys = {_subject_key(name) for _lead, officer, name in subjects if not officer}
        keys.discard("")
        by_key: dict[str, list[int]] = {}
        if keys:
            for pk, name, number in Officer.objects.filter(
                Q(name__in=keys) | Q(number__in=keys)
            ).values_list("id", "name", "number"):
                for key in {_subject_key(name), _subject_key(number)} & keys:
                    by_key.setdefault(key, []).append(pk)
        wanted: dict[tuple[int, int], tuple[str, str | None]] = {}
        for lead_id, officer_id, name in subjects:
            if officer_id:
                wanted[(lead_id, officer_id)] = (name, CandidateState.CONFIRMED)
        for lead_id, officer_id, name in subjects:
            if officer_id:
                continue
            for pk in by_key.get(_subject_key(name), []):
                wanted.setdefault((lead_id, pk), (name, None))
        existing = {
            (c.lead_id, c.officer_id): c
            for c in LeadSubjectCandidate.objects.filter(lead_id__in=chunk).order_by()
        }
        gone = [c.pk for key, c in existing.items() if key not in wanted]
        if gone:
            LeadSubjectCandidate.objects.filter(pk__in=gone).delete()
        new, changed = [], []
        for (lead_id, officer_id), (name, state) in wanted.items():
            row = existing.get((lead_id, officer_id))
            if row is None:
                new.append(
                    LeadSubjectCandidate(
                        lead_id=lead_id,
                        officer_id=officer_id,
                        name=name[:100],
                        state=state or CandidateState.PENDING,
                    )
                )
            elif state and row.state != state:
                row.state = state
                changed.append(row)
        LeadSubjectCandidate.objects.bulk_create(new, batch_size=2000)
        if changed:
            LeadSubjectCandidate.objects.bulk_update(changed, ["state"], batch_size=2000)
        written += len(new) + len(changed)
    return written


@transaction.atomic
def lead_subject_candidate_decide(
    *,
    candidate: LeadSubjectCandidate,
    actor: User,
    confirm: bool,
    request: HttpRequest | None = None,
) -> LeadSubjectCandidate:
    """Intake confirms that a typed subject is this officer (the subject row is linked to
    them and the other officers of that name are ruled out) or rules the match out (the
    officer is no longer recused on this lead). The caller checks the permission
    (leads.access.can_decide_subject_candidate)."""
    lead = lock(candidate.lead)
    candidate = LeadSubjectCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != CandidateState.PENDING:
        raise LeadWorkflowError(CANDIDATE_DECIDED)
    now = timezone.now()
    officer = candidate.officer
    if confirm:
        candidate.state = CandidateState.CONFIRMED
        subject = lead.subjects.filter(officer__isnull=True, name=candidate.name).first()
        if subject is not None:
            subject.officer = officer
            if _subject_key(subject.name) == _subject_key(officer.number):
                subject.name = officer.name  # typed as a number: now we know the name
            subject.unit_name = subject.unit_name or officer.unit.name
            subject.save(update_fields=["officer", "name", "unit_name"])
            touch_leads([lead.pk])
        LeadSubjectCandidate.objects.filter(
            lead=lead, name=candidate.name, state=CandidateState.PENDING
        ).exclude(pk=candidate.pk).update(
            state=CandidateState.RULED_OUT, decided_by=actor, decided_at=now
        )
        text = _("确认被反映人“%(name)s”为在册干警%(officer)s（%(number)s）") % {
            "name": candidate.name,
            "officer": officer.name,
            "number": officer.number,
        }
    else:
        candidate.state = CandidateState.RULED_OUT
        # The timeline is read by people of other scopes: it does not name the officer.
        text = _("排除一名与被反映人“%(name)s”同名（同号）的在册干警") % {"name": candidate.name}
    candidate.decided_by = actor
    candidate.decided_at = now
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    _event(
        lead,
        kind=EventKind.SUBJECT,
        actor=actor,
        text=text,
        data={"name": candidate.name, "state": candidate.state},
    )
    audit_record(
        actor=actor,
        action=LEAD_SUBJECT_CONFIRMED if confirm else LEAD_SUBJECT_RULED_OUT,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"officer": officer.pk, "name": candidate.name},
        request=request,
    )
    return candidate


@transaction.atomic
def lead_register(
    *,
    office: Office,
    actor: User,
    received_date: dt.date,
    channel: Channel,
    category: str,
    summary: str,
    subjects: list[SubjectInput] = (),
    subject_unit: Unit | None = None,
    reporter_anonymous: bool = True,
    reporter_name: str = "",
    reporter_contact: str = "",
    lead: Lead | None = None,
    uploads: Iterable[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Lead:
    """Register a new lead, or (`lead=` an unregistered public report) register that one,
    with the files uploaded alongside: the lead and its files, or neither (one transaction,
    so a refused file leaves no numbered lead behind)."""
    if received_date > timezone.localdate():  # it would also be numbered in that year
        raise LeadWorkflowError(RECEIVED_IN_FUTURE)
    if lead is not None:
        lead = lock(lead)
        if lead.status != S.UNREGISTERED:
            raise LeadWorkflowError(_("该线索已登记"))
        office = lead.office
    else:
        lead = Lead(office=office, status=S.REGISTERED, created_by=actor)
    lead.received_date = received_date
    lead.channel = channel
    lead.category = category
    lead.summary = summary.strip()
    lead.subject_unit = subject_unit
    if not lead.is_public:  # a public report keeps what the reporter chose to give
        lead.reporter_anonymous = reporter_anonymous
        lead.reporter_name = "" if reporter_anonymous else reporter_name
        lead.reporter_contact = "" if reporter_anonymous else reporter_contact
    lead.number = lead_next_number(office=office, year=received_date.year)
    was_public = lead.pk is not None
    before = _details(lead, original=True) if was_public else None
    if not was_public:
        lead.registered_at = timezone.now()
    lead.full_clean()
    lead.save()
    touch_leads([lead.pk])
    if subjects:
        _set_subjects(lead, list(subjects))
    if before is not None:  # the office's wording beside the reporter's (kept in .original)
        _record_changes(lead, actor, before, _details(lead), prefix=_("登记时"))
    lead_grams_sync(leads=[lead])  # L3: the summary's n-grams for duplicate screening
    audit_record(
        actor=actor,
        action=LEAD_REGISTERED,
        verb=AuditVerb.CREATE,
        target=lead,
        data={"number": lead.number, "channel": channel.code, "category": category},
        request=request,
    )
    if was_public:
        lead_transition(lead=lead, to=S.REGISTERED, actor=actor, reason=_("登记网上举报"))
    attachments_add(lead=lead, actor=actor, uploads=uploads, request=request)
    return lead


EDIT_LABELS = {
    "summary": _("反映内容摘要"),
    "category": _("问题类别"),
    "subjects": _("被反映人"),
}


def _details(lead: Lead, *, original: bool = False) -> dict[str, str]:
    """The registration details edits are recorded for; `original=True` reads a public
    report's as submitted (LeadOriginal) when there is one."""
    orig = getattr(lead, "original", None) if original and lead.pk else None
    if orig is not None:
        return {"summary": orig.text, "category": orig.category, "subjects": orig.subject_name}
    names = "、".join(s.name for s in lead.subjects.order_by("id")) if lead.pk else ""
    return {"summary": lead.summary, "category": lead.category, "subjects": names}


def _record_changes(
    lead: Lead,
    actor: User,
    before: dict,
    after: dict,
    *,
    prefix: str = "",
    request: HttpRequest | None = None,
):
    """One timeline event (old → new per changed field) and one audit event (field names
    only: the accusation stays in the lead's own tables)."""
    changes = [
        {"field": k, "old": before[k], "new": after[k]}
        for k in EDIT_LABELS
        if before[k] != after[k]
    ]
    if not changes:
        return None
    labels = dict(Lead._meta.get_field("category").choices)

    def shown(field: str, value: str) -> str:
        value = str(labels.get(value, value)) if field == "category" else value
        return value or "—"

    text = "\n".join(
        f"{prefix}{EDIT_LABELS[c['field']]}：{shown(c['field'], c['old'])} → "
        f"{shown(c['field'], c['new'])}"
        for c in changes
    )
    event = _event(lead, kind=EventKind.EDIT, actor=actor, text=text, data={"changes": changes})
    audit_record(
        actor=actor,
        action=LEAD_EDITED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"fields": [c["field"] for c in changes], "event": event.pk},
        request=request,
    )
    return event


@transaction.atomic
def lead_details_change(
    *,
    lead: Lead,
    actor: User,
    summary: str,
    category: str,
    subjects: list[SubjectInput] | None = None,
    request: HttpRequest | None = None,
) -> Lead:
    """Edit a registered lead's summary, category or subjects. Each change is a timeline event
    with the old and the new value; the subjects' recusal candidates are rewritten. The
    original public report (LeadOriginal) is never touched. The caller checks the permission
    (leads.access.can_manage_lead)."""
    lead = lock(lead)
    if not lead.is_writable or lead.status == S.UNREGISTERED:
        raise LeadWorkflowError(NOT_EDITABLE)
    before = _details(lead)
    lead.summary = (summary or "").strip()
    lead.category = category
    lead.full_clean()
    lead.save(update_fields=["summary", "category"])
    touch_leads([lead.pk])
    if subjects is not None:
        # A name re-typed unchanged keeps the officer it was linked to (perhaps by somebody
        # of a wider scope than the editor's).
        linked = {s.name: s.officer for s in lead.subjects.select_related("officer__unit")}
        subjects = [
            SubjectInput(name=s.name, officer=linked[s.name], unit_name=s.unit_name)
            if s.officer is None and linked.get(s.name) is not None
            else s
            for s in subjects
        ]
        new_names = "、".join(
            (s.name or (s.officer.name if s.officer else "")).strip() for s in subjects
        )
        if new_names != before["subjects"]:
            _set_subjects(lead, list(subjects))
    if _record_changes(lead, actor, before, _details(lead), request=request):
        lead_grams_sync(leads=[lead])
        _touch(lead)
    return lead


# --- reading (audited) ----------------------------------------------------------------


def lead_record_read(*, lead: Lead, actor: User, request: HttpRequest | None = None) -> None:
    audit_read(actor=actor, action=LEAD_READ, target=lead, request=request)


def lead_original_record_read(
    *, lead: Lead, actor: User, request: HttpRequest | None = None
) -> None:
    audit_read(
        actor=actor,
        action=LEAD_ORIGINAL_READ,
        target=lead,
        request=request,
    )


def lead_reveal_reporter(
    *, lead: Lead, actor: User, request: HttpRequest | None = None
) -> tuple[str, str]:
    if not can_reveal_reporter(actor, lead):
        raise LeadWorkflowError(NOT_INTAKE)
    audit_read(
        actor=actor,
        action=LEAD_REPORTER_REVEALED,
        target=lead,
        request=request,
    )
    return lead.reporter_name, lead.reporter_contact
