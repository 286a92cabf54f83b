"""Stage 3 of the ledger import: write a plan without errors, all or nothing."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from rectify import figures
from rectify.audit import audit_record
from rectify.excel import (
    ExcelError,
    RowError,
)
from rectify.models import AuditVerb

from ..audit import LEAD_IMPORT_UPDATED, LEAD_IMPORTED
from ..figures import touch_leads
from ..models import UNSCREENED, EventKind, Lead, LeadEvent, LeadStatus, LeadSubject
from ..rules.screening import lead_grams_sync
from ..services.intake import lead_subject_candidates_sync
from ..workflow import LeadWorkflowError, lead_transition
from .columns import COLUMNS, NOT_WRITABLE, REPORTER_FIELDS, REPORTER_NOT_COMPARED, Vocabulary
from .parse import ParsedSheet, read_workbook
from .resolve import (
    ImportResult,
    RowPlan,
    _plan_row,
    _Register,
    _transition_reason,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from rectify.models import Office, User


class _Refused(Exception):
    def __init__(self, error: RowError):
        super().__init__(error.reason)
        self.error = error


def import_ledger(
    *,
    upload: Path | bytes | IO[bytes] | None = None,
    parsed: ParsedSheet | None = None,
    office: Office,
    actor: User | str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    filename: str = "",
) -> ImportResult:
    """Plan every row; if none has an error (and not dry_run) store them all in one
    transaction, or nothing. Idempotent by 线索编号: re-importing a file changes nothing.

    Scoping: existing leads are only those `leads_visible_to(actor)` returns for this
    office; any other existing number is a row error (NUMBER_UNAVAILABLE). Status changes
    of existing leads go through `lead_transition`; every changed field becomes a timeline
    event, and each changed lead one audit event. `progress(processed, total)` feeds the
    web import's progress bar. Raises rectify.excel.ExcelError for an unreadable file.
    """
    vocabulary = Vocabulary.for_office(office)
    if parsed is None:
        parsed = read_workbook(upload, vocabulary=vocabulary)
    result = ImportResult(
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        total=len(parsed.rows),
        dry_run=dry_run,
        parsed=parsed,
    )
    report = progress or (lambda done, total: None)
    report(0, result.total)
    people = {n for r in parsed.rows for n in [*r.subjects, r.handler] if n}
    reg = _Register(
        office, [r.number for r in parsed.rows if r.number], actor, vocabulary, people=people
    )
    has_reporter = any(column == "反映人" for _header, column in parsed.mapping)
    if has_reporter and reg.visible and not all(reg.reveal.values()):
        result.notes.append(REPORTER_NOT_COMPARED)
    for index, row in enumerate(parsed.rows, start=1):
        result.plans.append(_plan_row(row, reg, parsed, result))
        if index % 500 == 0:
            report(index // 2, result.total)
    order = {name: i for i, name in enumerate(COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    result.warnings.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    bad_rows = {e.row for e in result.errors}
    new = [p for p in result.plans if p.action == "create" and p.row not in bad_rows]
    changed = [p for p in result.plans if p.action == "update" and p.row not in bad_rows]
    result.unchanged = sum(
        1 for p in result.plans if p.action == "unchanged" and p.row not in bad_rows
    )
    result.created, result.updated = len(new), len(changed)
    if result.errors or dry_run or not (new or changed):
        report(result.total, result.total)
        return result
    user = actor if getattr(actor, "is_authenticated", False) else None
    source = f"台账导入（{filename}）" if filename else "台账导入"
    try:
        with transaction.atomic(), figures.deferred():  # each unit's figures once
            leads = []
            for plan in new:
                lead = Lead(number=plan.number, office=office, created_by=user)
                for name, value in plan.values.items():
                    setattr(lead, name, value)
                anonymous, name = plan.reporter or (True, "")
                lead.reporter_anonymous = anonymous
                lead.reporter_name = "" if anonymous else name
                _lifecycle(lead)
                leads.append((lead, plan))
            Lead.objects.bulk_create([lead for lead, _ in leads], batch_size=1000)
            touch_leads([lead.pk for lead, _ in leads])
            report(result.total * 3 // 4, result.total)
            LeadSubject.objects.bulk_create(
                [
                    LeadSubject(lead_id=lead.pk, officer_id=o, name=n[:100], unit_name=u[:200])
                    for lead, plan in leads
                    for o, n, u in plan.subjects
                ],
                batch_size=2000,
            )
            LeadEvent.objects.bulk_create(
                [
                    LeadEvent(
                        lead_id=lead.pk,
                        kind=EventKind.NOTE,
                        actor=user,
                        text="由"
                        + source
                        + "创建"
                        + (f"。台账中保留的原文：{_kept_text(plan)}" if plan.kept else ""),
                        data={"import": True, "row": plan.row, "kept": plan.kept},
                    )
                    for lead, plan in leads
                ],
                batch_size=2000,
            )
            updated = [_update_lead(plan, actor, user, source, parsed.sheet) for plan in changed]
            # Recusal by identity: subjects typed as names are matched against the register.
            lead_subject_candidates_sync(
                lead_ids=[lead.pk for lead, _ in leads] + [lead.pk for lead in updated]
            )
            lead_grams_sync(leads=[lead for lead, _ in leads] + updated)
            audit_record(
                actor=actor,
                action=LEAD_IMPORTED,
                verb=AuditVerb.CREATE,
                target=office,
                data={
                    **result.summary(),
                    "numbers": [p.number for p in new + changed][:200],
                },
            )
    except _Refused as refused:
        # Something changed since the preview (another user moved a lead): nothing stored.
        result.errors.append(refused.error)
        result.created = result.updated = 0
    except LeadWorkflowError as exc:  # pragma: no cover - _update_lead converts these
        raise ExcelError(str(exc)) from exc
    report(result.total, result.total)
    return result


def _update_lead(
    plan: RowPlan, actor: User | str, user: User | None, source: str, sheet: str
) -> Lead:
    """Write one planned update of an existing lead: the changed fields (each a timeline
    event with old and new value), then the status through lead_transition, then one
    audit event for the lead."""
    lead = Lead.objects.select_for_update().get(pk=plan.lead_id)
    if not lead.is_writable:
        raise _Refused(RowError(sheet, plan.row, "线索编号", plan.number, NOT_WRITABLE))
    fields = []
    for name, value in plan.values.items():
        if (getattr(lead, name) or None) != (value or None):
            setattr(lead, name, value)
            fields.append(name.removesuffix("_id"))
    if plan.reporter is not None:
        anonymous, name = plan.reporter
        lead.reporter_anonymous = anonymous
        lead.reporter_name = "" if anonymous else name
        fields += REPORTER_FIELDS
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=[*fields, "last_activity_at"])
    touch_leads([lead.pk])
    if plan.subjects_changed:
        LeadSubject.objects.filter(lead=lead).delete()
        LeadSubject.objects.bulk_create(
            [
                LeadSubject(lead=lead, officer_id=o, name=n[:100], unit_name=u[:200])
                for o, n, u in plan.subjects
            ]
        )
    events = []
    for label, old, new in plan.changes:
        if label == "办理状态":
            continue  # lead_transition records its own event
        if label == "反映人":
            text, data = f"{source}：反映人信息已更新", {"import": True, "field": label}
        else:
            text = f"{source}：{label}由“{old or '（空）'}”改为“{new or '（空）'}”"
            data = {"import": True, "field": label, "old": old, "new": new}
        events.append(LeadEvent(lead=lead, kind=EventKind.NOTE, actor=user, text=text, data=data))
    LeadEvent.objects.bulk_create(events)
    if plan.status_to:
        try:
            lead_transition(
                lead=lead, to=plan.status_to, actor=actor, reason=_transition_reason(plan)
            )
        except LeadWorkflowError as exc:
            raise _Refused(RowError(sheet, plan.row, "办理状态", plan.status_to, str(exc))) from exc
    audit_record(
        actor=actor,
        action=LEAD_IMPORT_UPDATED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={
            "row": plan.row,
            "fields": [label for label, _old, _new in plan.changes],
        },
    )
    return lead


def _lifecycle(lead: Lead) -> None:
    """A new lead from an office's old ledger gets the timestamps its status implies, so
    closure rates, overdue flags and crossing off work on it as on leads registered here.
    (Existing leads change status only through lead_transition, which sets them.)"""
    now = timezone.now()
    done = lead.status in (LeadStatus.CONCLUDED, LeadStatus.CROSSED_OFF)
    lead.registered_at = lead.registered_at or now
    lead.screened_at = None if lead.status in UNSCREENED else (lead.screened_at or now)
    lead.concluded_at = (lead.concluded_at or now) if done else None
    if lead.status == LeadStatus.CROSSED_OFF:
        lead.crossed_off_at = lead.crossed_off_at or now


def _kept_text(plan: RowPlan) -> str:
    return "；".join(f"{k}：{v}" for k, v in plan.kept.items())
