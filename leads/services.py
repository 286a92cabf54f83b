"""Every write of the leads app. Keyword-only `<entity>_<verb>` functions, atomic,
`full_clean()` before saving, every change audited. Status moves go through
`leads.workflow.lead_transition` only."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb, Office, Officer, Role, Unit

from . import conflicts
from .models import (
    PUBLIC_CHANNEL_CODE,
    CandidateState,
    Channel,
    EventKind,
    Lead,
    LeadConclusion,
    LeadCounter,
    LeadEvent,
    LeadOriginal,
    LeadStatus,
    LeadSubject,
    LeadSubjectCandidate,
    Signature,
    SignatureRole,
    receipt_hash,
)
from .screening import lead_grams_sync
from .workflow import (
    ARCHIVED,
    REASON_REQUIRED,
    LeadWorkflowError,
    lead_transition,
    live_signatures,
    lock,
)

S = LeadStatus

NOT_HANDLER = _("只有本线索的承办人本人才能以承办人身份签字")
NOT_UNIT_HEAD = _("只有承办单位主要负责人本人才能以单位负责人身份签字")
HANDLER_CANNOT_SIGN_AS_HEAD = _("承办人不能代承办单位主要负责人签字")
NOT_SIGNING = _("线索不在查否待签字状态")
ALREADY_SIGNED = _("您已签字")
NOT_INTAKE = _("只有受理专员可以查看举报人身份")
EMPTY_TEXT = _("内容不能为空")
REPORTER_MESSAGE_MAX = 2000
REPORTER_MESSAGE_TOO_LONG = _("留言最多%(max)s字，请删减后再提交")
MERGE_SELF = _("不能并入本线索自身")
MERGE_INTO_MERGED = _("该线索本身已并入其他线索，请并入其主线索")
MERGE_INTO_UNREGISTERED = _("主线索尚未登记，请先登记主线索，或将其并入本线索")
HANDLER_NOT_IN_UNIT = _("承办人须为承办单位（含下级）的干警")
RECEIVED_IN_FUTURE = _("受理日期不能晚于今天")
DEADLINE_IN_PAST = _(
    "办理期限早于今天，线索交办后将立即显示逾期。如确需如此，请勾选“确认办理期限早于今天”后再次提交"
)
RATING_NOT_ALLOWED = _("线索办结后才能评价")
CONSULTATION_NEEDS_PARTICIPANTS = _("会商记录须填写参加人员")
CONSULTATION_NEEDS_CONCLUSION = _("会商记录须填写会商结论")
CANDIDATE_DECIDED = _("该同名干警已确认或已排除")
NOT_EDITABLE = _("该线索已办结或归档，不能再修改登记信息")

# Receipt codes: 20 symbols of Crockford's base32 (100 bits), shown in groups of four.
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECEIPT_LEN = 20


@dataclass
class SubjectInput:
    name: str
    officer: Officer | None = None
    unit_name: str = ""


def _ensure_writable(lead: Lead) -> None:
    if not lead.is_writable:
        raise LeadWorkflowError(ARCHIVED)


def _event(lead: Lead, *, kind: str, actor, text: str = "", participants: str = "", data=None):
    event = LeadEvent(
        lead=lead,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=text,
        participants=participants,
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event


def _touch(lead: Lead) -> None:
    """L10: somebody worked the lead now (resets the 有线索不查 clock)."""
    lead.last_activity_at = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=lead.last_activity_at)


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
            LeadSubject.objects.filter(lead_id__in=chunk).values_list(
                "lead_id", "officer_id", "name"
            )
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
            for c in LeadSubjectCandidate.objects.filter(lead_id__in=chunk)
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
    *, candidate: LeadSubjectCandidate, actor, confirm: bool, request=None
) -> LeadSubjectCandidate:
    """Intake confirms that a typed subject is this officer (the subject row is linked to
    them and the other officers of that name are ruled out) or rules the match out (the
    officer is no longer recused on this lead). The caller checks the permission
    (rectify.access.can_decide_subject_candidate)."""
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
        action="leads.lead.subject_confirmed" if confirm else "leads.lead.subject_ruled_out",
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
    actor,
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
    request=None,
) -> Lead:
    """Register a new lead, or (`lead=` an unregistered public report) register that one."""
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
    if subjects:
        _set_subjects(lead, list(subjects))
    if before is not None:  # the office's wording beside the reporter's (kept in .original)
        _record_changes(lead, actor, before, _details(lead), prefix=_("登记时"))
    lead_grams_sync(leads=[lead])  # L3: the summary's n-grams for duplicate screening
    audit_record(
        actor=actor,
        action="leads.lead.registered",
        verb=AuditVerb.CREATE,
        target=lead,
        data={"number": lead.number, "channel": channel.code, "category": category},
        request=request,
    )
    if was_public:
        lead_transition(lead=lead, to=S.REGISTERED, actor=actor, reason=_("登记网上举报"))
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
    lead: Lead, actor, before: dict, after: dict, *, prefix: str = "", request=None
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
        action="leads.lead.edited",
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
    actor,
    summary: str,
    category: str,
    subjects: list[SubjectInput] | None = None,
    request=None,
) -> Lead:
    """Edit a registered lead's summary, category or subjects. Each change is a timeline event
    with the old and the new value; the subjects' recusal candidates are rewritten. The
    original public report (LeadOriginal) is never touched. The caller checks the permission
    (rectify.access.can_manage_lead)."""
    lead = lock(lead)
    if not lead.is_writable or lead.status == S.UNREGISTERED:
        raise LeadWorkflowError(NOT_EDITABLE)
    before = _details(lead)
    lead.summary = (summary or "").strip()
    lead.category = category
    lead.full_clean()
    lead.save(update_fields=["summary", "category"])
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


def _new_receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(_RECEIPT_LEN))
    return "-".join(raw[i : i + 4] for i in range(0, _RECEIPT_LEN, 4))


def normalise_receipt(code: str) -> str:
    """Accept lower case, spaces and missing dashes; O→0, I/L→1 (Crockford)."""
    raw = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(raw) != _RECEIPT_LEN:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, _RECEIPT_LEN, 4))


@transaction.atomic
def public_report_submit(
    *,
    office: Office,
    category: str,
    summary: str,
    subject_text: str = "",
    subject_unit_text: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
) -> tuple[Lead, str]:
    """An anonymous report from the public page: an unregistered lead and its receipt code
    (returned once, only its hash is stored). Nothing about the client is recorded."""
    code = _new_receipt_code()
    lead = Lead(
        office=office,
        status=S.UNREGISTERED,
        channel=Channel.objects.filter(code=PUBLIC_CHANNEL_CODE).first(),
        category=category,
        summary=summary.strip(),
        is_public=True,
        receipt_hash=receipt_hash(code),
        reporter_anonymous=not (reporter_name or reporter_contact),
    )
    lead.reporter_name = reporter_name
    lead.reporter_contact = reporter_contact
    lead.full_clean()
    lead.save()
    original = LeadOriginal(
        lead=lead,
        text=lead.summary,
        subject_name=subject_text.strip(),
        subject_unit=subject_unit_text.strip(),
        category=category,
    )
    original.full_clean()
    original.save()
    if subject_text.strip():
        _set_subjects(lead, [SubjectInput(name=subject_text.strip(), unit_name=subject_unit_text)])
    lead_grams_sync(leads=[lead])
    audit_record(
        actor=None,
        action="leads.lead.public_submitted",
        verb=AuditVerb.CREATE,
        target=lead,
        data={"office": office.pk},
    )
    return lead, code


def lead_for_receipt(code: str) -> Lead | None:
    code = normalise_receipt(code)
    if not code:
        return None
    return Lead.objects.filter(receipt_hash=receipt_hash(code)).first()


@transaction.atomic
def reporter_message(*, lead: Lead, text: str) -> LeadEvent:
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    if len(text.strip()) > REPORTER_MESSAGE_MAX:  # refused, never cut (the form says so too)
        raise LeadWorkflowError(REPORTER_MESSAGE_TOO_LONG % {"max": REPORTER_MESSAGE_MAX})
    event = _event(lead, kind=EventKind.REPORTER, actor=None, text=text.strip())
    audit_record(actor=None, action="leads.lead.reporter_message", target=lead)
    return event


def reporter_can_rate(lead: Lead) -> bool:
    """Once the lead — or, for a merged duplicate, its main lead — is concluded."""
    main = lead.merged_into if lead.status == S.MERGED and lead.merged_into_id else lead
    return main.concluded_at is not None


@transaction.atomic
def reporter_rate(*, lead: Lead, rating: int) -> Lead:
    lead = lock(lead)
    if not reporter_can_rate(lead):
        raise LeadWorkflowError(RATING_NOT_ALLOWED)
    lead.reporter_rating = max(1, min(5, int(rating)))
    lead.save(update_fields=["reporter_rating"])
    audit_record(actor=None, action="leads.lead.reporter_rated", target=lead)
    return lead


@transaction.atomic
def lead_reply(*, lead: Lead, actor, text: str, request=None) -> LeadEvent:
    """A reply the reporter can read with the receipt code."""
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    event = _event(lead, kind=EventKind.REPLY, actor=actor, text=text.strip())
    audit_record(
        actor=actor,
        action="leads.lead.replied",
        verb=AuditVerb.CHANGE,
        target=lead,
        request=request,
    )
    return event


# --- reading (audited) ----------------------------------------------------------------


def lead_record_read(*, lead: Lead, actor, request=None) -> None:
    audit_record(
        actor=actor, action="leads.lead.read", verb=AuditVerb.READ, target=lead, request=request
    )


def lead_original_record_read(*, lead: Lead, actor, request=None) -> None:
    audit_record(
        actor=actor,
        action="leads.lead.original_read",
        verb=AuditVerb.READ,
        target=lead,
        request=request,
    )


def lead_reveal_reporter(*, lead: Lead, actor, request=None) -> tuple[str, str]:
    if not access.can_reveal_reporter(actor, lead):
        raise LeadWorkflowError(NOT_INTAKE)
    audit_record(
        actor=actor,
        action="leads.lead.reporter_revealed",
        verb=AuditVerb.READ,
        target=lead,
        request=request,
    )
    return lead.reporter_name, lead.reporter_contact


# --- triage (L4) ----------------------------------------------------------------------


@transaction.atomic
def lead_transfer(
    *, lead: Lead, actor, body: str, date: dt.date, reason: str = "", request=None
) -> Lead:
    """Transfer to the discipline commission (移交纪委监委) — specific and clear leads."""
    lead = lock(lead)
    _ensure_writable(lead)
    lead.transfer_body = body.strip()
    lead.transfer_date = date
    lead.save(update_fields=["transfer_body", "transfer_date"])
    _event(lead, kind=EventKind.TRANSFER, actor=actor, text=reason, data={"body": body})
    return lead_transition(
        lead=lead, to=S.TRANSFERRED, actor=actor, reason=reason or body, request=request
    )


@transaction.atomic
def lead_transfer_feedback(
    *, lead: Lead, actor, feedback: str, conclusion: str, request=None
) -> Lead:
    """What came back from the discipline commission; concludes the lead."""
    lead = lock(lead)
    if lead.status != S.TRANSFERRED:
        raise LeadWorkflowError(_("只有已移交的线索可以登记反馈"))
    if not feedback.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    lead.transfer_feedback = feedback.strip()
    lead.conclusion = conclusion
    lead.result = feedback.strip()
    lead.full_clean()
    lead.save(update_fields=["transfer_feedback", "conclusion", "result"])
    _event(lead, kind=EventKind.TRANSFER, actor=actor, text=feedback, data={"feedback": True})
    return lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, reason=feedback, request=request)


@transaction.atomic
def lead_assign(
    *,
    lead: Lead,
    actor,
    unit: Unit,
    handler: Officer,
    deadline: dt.date,
    route: str,
    reason: str = "",
    override_reason: str = "",
    past_deadline_confirmed: bool = False,
    request=None,
) -> Lead:
    """Assign to a unit (and handler) for verification / talk or letter inquiry / preliminary
    verification. From HANDLING it re-assigns (no status move). A handler with conflicts
    (leads.conflicts) raises HandlerConflictError unless `override_reason` is given; the
    conflicts and the reason are then kept in the triage event and the audit trail. A
    deadline before today makes the lead overdue at once: only with
    `past_deadline_confirmed`."""
    if deadline < timezone.localdate() and not past_deadline_confirmed:
        raise LeadWorkflowError(DEADLINE_IN_PAST)
    lead = lock(lead)
    _ensure_writable(lead)
    if not handler.unit.path.startswith(unit.path):
        raise LeadWorkflowError(HANDLER_NOT_IN_UNIT)
    override = conflicts.require_override(
        lead=lead, handler=handler, override_reason=override_reason
    )
    lead.handling_unit = unit
    lead.handler = handler
    lead.deadline = deadline
    lead.route = route
    lead.last_activity_at = timezone.now()
    lead.full_clean()
    lead.save(update_fields=["handling_unit", "handler", "deadline", "route", "last_activity_at"])
    _event(
        lead,
        kind=EventKind.TRIAGE,
        actor=actor,
        text=reason,
        data={
            "unit": unit.name,
            "handler": handler.name,
            "deadline": str(deadline),
            "route": route,
            **override,
        },
    )
    if override:
        audit_record(
            actor=actor,
            action="leads.lead.conflict_overridden",
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"handler": handler.pk, **override},
            request=request,
        )
    if lead.status == S.HANDLING:
        audit_record(
            actor=actor,
            action="leads.lead.reassigned",
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"unit": unit.pk, "handler": handler.pk},
            request=request,
        )
        return lead
    return lead_transition(lead=lead, to=S.HANDLING, actor=actor, reason=reason, request=request)


@transaction.atomic
def lead_merge(*, lead: Lead, into: Lead, actor, reason: str = "", request=None) -> Lead:
    """Merge a duplicate into its main lead. The main lead is registered and not merged
    itself (no chains): the duplicate is counted and handled with it, its reporter follows
    it (selectors.public_status), and its page lists the duplicate (selectors.merged_leads)."""
    if into.pk == lead.pk:
        raise LeadWorkflowError(MERGE_SELF)
    into = Lead.objects.get(pk=into.pk)  # its current status, not the caller's copy
    if into.status == S.MERGED:
        raise LeadWorkflowError(MERGE_INTO_MERGED)
    if into.status == S.UNREGISTERED:
        raise LeadWorkflowError(MERGE_INTO_UNREGISTERED)
    lead = lock(lead)
    _ensure_writable(lead)
    lead.merged_into = into
    lead.save(update_fields=["merged_into"])
    text = reason or _("与线索 %(n)s 重复") % {"n": into.number}
    lead = lead_transition(lead=lead, to=S.MERGED, actor=actor, reason=text, request=request)
    # On the main lead's timeline too, so whoever works it learns of the duplicate.
    _event(
        into,
        kind=EventKind.NOTE,
        actor=actor,
        text=_("重复线索 %(n)s 并入本线索") % {"n": lead.number or _("（未登记网上举报）")},
        data={"merged": lead.pk},
    )
    return lead


@transaction.atomic
def lead_hold(*, lead: Lead, actor, reason: str, request=None) -> Lead:
    return lead_transition(lead=lead, to=S.HELD, actor=actor, reason=reason, request=request)


@transaction.atomic
def lead_close(*, lead: Lead, actor, reason: str, request=None) -> Lead:
    """予以了结 with a recorded reason."""
    return lead_transition(lead=lead, to=S.CLOSED, actor=actor, reason=reason, request=request)


# --- handling (L7, L11) ---------------------------------------------------------------

TIMELINE_KINDS = (
    EventKind.NOTE,
    EventKind.VERIFICATION,
    EventKind.CONSULTATION,
    EventKind.SUPERVISION,
    EventKind.RISK,
)


@transaction.atomic
def lead_add_event(
    *,
    lead: Lead,
    actor,
    kind: str,
    text: str,
    participants: str = "",
    conclusion: str = "",
    request=None,
) -> LeadEvent:
    """A timeline entry (L7). A consultation (会商) needs its participants and its conclusion
    (kept in `data["conclusion"]`). A supervision note (督办) urges the handler; it is not
    handling work, so unlike the other kinds it does not reset the L10 untouched clock."""
    if kind not in TIMELINE_KINDS:
        raise LeadWorkflowError(_("不支持的记录类型"))
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    if kind == EventKind.CONSULTATION:
        if not participants.strip():
            raise LeadWorkflowError(CONSULTATION_NEEDS_PARTICIPANTS)
        if not conclusion.strip():
            raise LeadWorkflowError(CONSULTATION_NEEDS_CONCLUSION)
    _ensure_writable(lead)
    event = _event(
        lead,
        kind=kind,
        actor=actor,
        text=text.strip(),
        participants=participants.strip(),
        data={"conclusion": conclusion.strip()} if conclusion.strip() else None,
    )
    if kind != EventKind.SUPERVISION:
        _touch(lead)
    audit_record(
        actor=actor,
        action=f"leads.lead.{kind}",
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"event": event.pk},
        request=request,
    )
    return event


# --- conclusion, signatures (L9), crossing off (L5) -------------------------------------


def _void_signatures(lead: Lead, actor) -> int:
    n = Signature.objects.filter(lead=lead, voided_at__isnull=True).update(voided_at=timezone.now())
    if n:
        _event(lead, kind=EventKind.SIGNATURE, actor=actor, text=_("结论已修改，原签字作废"))
    return n


@transaction.atomic
def lead_conclude(
    *,
    lead: Lead,
    actor,
    conclusion: str,
    result: str,
    disposition_form: str = "",
    dealt_with: str = "",
    request=None,
) -> Lead:
    """Record the conclusion. Substantiated ones conclude at once, with the four forms and
    the persons dealt with; an unfounded one waits for the two signatures (any edit of its
    text voids the signatures already given)."""
    lead = lock(lead)
    _ensure_writable(lead)
    if lead.status not in (S.HANDLING, S.SIGNING):
        raise LeadWorkflowError(_("只有办理中的线索可以填写办理结论"))
    if conclusion == LeadConclusion.UNFOUNDED:
        disposition_form = dealt_with = ""
    changed = (lead.conclusion, lead.result, lead.disposition_form) != (
        conclusion,
        result.strip(),
        disposition_form,
    )
    lead.conclusion = conclusion
    lead.result = result.strip()
    lead.disposition_form = disposition_form
    lead.dealt_with = (dealt_with or "").strip()
    lead.last_activity_at = timezone.now()
    lead.full_clean()
    lead.save(
        update_fields=[
            "conclusion",
            "result",
            "disposition_form",
            "dealt_with",
            "last_activity_at",
        ]
    )
    if changed:
        _void_signatures(lead, actor)
        _event(
            lead,
            kind=EventKind.CONCLUSION,
            actor=actor,
            text=lead.result,
            data={
                "conclusion": conclusion,
                "form": disposition_form,
                "dealt_with": lead.dealt_with,
            },
        )
    if conclusion == LeadConclusion.UNFOUNDED:
        if lead.status == S.HANDLING:
            return lead_transition(lead=lead, to=S.SIGNING, actor=actor, request=request)
        audit_record(
            actor=actor,
            action="leads.lead.conclusion_edited",
            verb=AuditVerb.CHANGE,
            target=lead,
            request=request,
        )
        return lead
    if lead.status == S.SIGNING:
        lead_transition(
            lead=lead, to=S.HANDLING, actor=actor, reason=_("结论改为非查否"), request=request
        )
    return lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, request=request)


def is_unit_head_of(user, unit: Unit) -> bool:
    """The main leader of `unit`: its primary responsible person, or a unit_head over it."""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if (
        unit.primary_responsible_id
        and Officer.objects.filter(pk=unit.primary_responsible_id, user_id=user.pk).exists()
    ):
        return True
    return access.holds_role_over(user, unit, [Role.UNIT_HEAD])


@transaction.atomic
def lead_sign(
    *, lead: Lead, actor, role: str, override_reason: str = "", request=None
) -> Signature:
    """Sign the current unfounded conclusion as handler or as the handling unit's head, each
    with one's own account. When both live signatures bind the text, the lead concludes and
    is archived read-only. The unit head's signature is checked against the conflict rules
    (leads.conflicts) like the handler's assignment: with conflicts it raises
    HandlerConflictError unless `override_reason` is given, which is then recorded with the
    signature (timeline and audit)."""
    lead = lock(lead)
    if lead.status != S.SIGNING:
        raise LeadWorkflowError(NOT_SIGNING)
    handler_user_id = lead.handler.user_id if lead.handler_id else None
    if role == SignatureRole.HANDLER:
        if handler_user_id is None or actor.pk != handler_user_id:
            raise LeadWorkflowError(NOT_HANDLER)
    elif role == SignatureRole.UNIT_HEAD:
        if actor.pk == handler_user_id:
            raise LeadWorkflowError(HANDLER_CANNOT_SIGN_AS_HEAD)
        if not is_unit_head_of(actor, lead.handling_unit):
            raise LeadWorkflowError(NOT_UNIT_HEAD)
    else:
        raise LeadWorkflowError(_("签字身份无效"))
    live = live_signatures(lead)
    if role in live:
        raise LeadWorkflowError(ALREADY_SIGNED)
    override: dict = {}
    signer_officer = getattr(actor, "officer", None)
    if role == SignatureRole.UNIT_HEAD and signer_officer is not None:
        # L9: the second signature is a check on the handler's work; a head tied to the
        # subject (same organ, declared ties) is warned and must say why he signs anyway.
        override = conflicts.require_override(
            lead=lead,
            handler=signer_officer,
            override_reason=override_reason,
            role=conflicts.ROLE_UNIT_HEAD,
        )
    # A stale (non-binding) signature for this role is voided before signing again.
    Signature.objects.filter(lead=lead, role=role, voided_at__isnull=True).update(
        voided_at=timezone.now()
    )
    officer = getattr(actor, "officer", None)
    sig = Signature(
        lead=lead,
        role=role,
        signer=actor,
        signer_name=officer.name if officer else actor.get_username(),
        text_hash=lead.conclusion_hash(),
    )
    sig.full_clean()
    sig.save()
    _event(
        lead,
        kind=EventKind.SIGNATURE,
        actor=actor,
        text=sig.get_role_display(),
        data={"role": role, "hash": sig.text_hash, **override},
    )
    audit_record(
        actor=actor,
        action="leads.lead.signed",
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"role": role, "hash": sig.text_hash},
        request=request,
    )
    if override:
        audit_record(
            actor=actor,
            action="leads.lead.conflict_overridden",
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"signer": signer_officer.pk, "role": role, **override},
            request=request,
        )
    live = live_signatures(lead)
    if SignatureRole.HANDLER in live and SignatureRole.UNIT_HEAD in live:
        lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, request=request)
    return sig


@transaction.atomic
def lead_cross_off(*, lead: Lead, actor, request=None) -> Lead:
    """销号: only a concluded lead."""
    return lead_transition(lead=lead, to=S.CROSSED_OFF, actor=actor, request=request)


def reason_required(reason: str) -> str:
    if not (reason or "").strip():
        raise LeadWorkflowError(REASON_REQUIRED)
    return reason.strip()
