"""Thin views: scope through rectify.access, write through leads.services, read through
leads.selectors. Invisible leads give 404 (never 403)."""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb, Role
from rectify.net import client_ip
from rectify.pagination import keyset_page

from . import (
    attachment_views,
    attachments,
    conflict_views,
    conflicts,
    crypto,
    forms,
    intake_views,
    selectors,
    services,
)
from .leniency import leniency_counts, leniency_for
from .models import (
    Channel,
    LeadCategory,
    LeadConclusion,
    LeadStatus,
    Signature,
    SignatureRole,
)
from .oversight_views import detail_context as oversight_context
from .workflow import LeadWorkflowError

S = LeadStatus


# --- intake (L1, L2) --------------------------------------------------------------------


@access.role_required(*access.LEAD_OFFICE_ROLES)
def intake_queue(request: HttpRequest) -> HttpResponse:
    leads = selectors.intake_queue(request.user)
    page = keyset_page(leads, ordering=("received_date", "id"), cursor=request.GET.get("after"))
    cutoff = selectors.intake_cutoff()
    pending = selectors.subject_candidates_for(request.user, [lead.pk for lead in page.items])
    for lead in page.items:
        lead.intake_overdue = lead.received_date < cutoff
        lead.subject_pending = pending.get(lead.pk)
    _audit_list_read(request, "leads.intake.read", page.items)
    return render(
        request,
        "leads/intake.html",
        {"page": page, "intake_days": settings.LEADS_INTAKE_DAYS},
    )


@access.role_required(*access.LEAD_OFFICE_ROLES)
def lead_register(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    existing = None
    offices = access.lead_offices_for(request.user)
    if pk is not None:
        existing = access.get_lead_for_user(request.user, pk)
        if existing.status != S.UNREGISTERED or not access.can_manage_lead(request.user, existing):
            raise PermissionDenied
    initial = {}
    if existing:
        initial = {
            "office": existing.office_id,
            "received_date": existing.received_date,
            "channel": existing.channel_id,
            "category": existing.category,
            "summary": existing.summary,
            "subjects": "、".join(s.name for s in existing.subjects.all()),
            "subject_unit_text": next((s.unit_name for s in existing.subjects.all()), ""),
            "reporter_anonymous": existing.reporter_anonymous,
        }
    form = forms.RegisterForm(
        request.POST or None,
        request.FILES or None,
        offices=offices,
        initial=initial,
        keeps_reporter=bool(existing and existing.is_public),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subjects = selectors.match_subjects(
            request.user, form.subject_tokens(), data.get("subject_unit_text", "")
        )
        try:
            with transaction.atomic():  # the lead and its files, or neither
                lead = services.lead_register(
                    office=data["office"],
                    actor=request.user,
                    received_date=data["received_date"],
                    channel=data["channel"],
                    category=data["category"],
                    summary=data["summary"],
                    subjects=subjects,
                    reporter_anonymous=data.get("reporter_anonymous", True),
                    reporter_name=data.get("reporter_name", ""),
                    reporter_contact=data.get("reporter_contact", ""),
                    lead=existing,
                    request=request,
                )
                attachments.attachments_add(
                    lead=lead, actor=request.user, uploads=data["attachments"], request=request
                )
        except LeadWorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("线索已登记：%(n)s") % {"n": lead.number})
            if not selectors.lead_is_visible(request.user, lead):
                # A subject may be the registrar (recusal by identity): the lead is for the
                # office's other intake staff now.
                messages.info(request, intake_views.RECUSED_NOTICE)
                return redirect("leads:intake")
            return redirect("leads:detail", pk=lead.pk)
    similar, similar_text = [], ""
    if request.method == "POST" or existing:  # without JavaScript: shown after a submit
        similar_text = (request.POST.get("summary") if request.method == "POST" else "") or (
            existing.summary if existing else ""
        )
        similar = _similar_for(
            request.user,
            text=similar_text,
            tokens=form.subject_tokens() if form.is_bound and form.is_valid() else [],
            exclude=existing.pk if existing else None,
        )
    return render(
        request,
        "leads/register.html",
        {"form": form, "existing": existing, "similar": similar, "similar_text": similar_text},
    )


def _similar_for(user, *, text: str, tokens=(), exclude=None, officer_ids=()):
    """L3 screening for the register form and the lead page (works without JavaScript)."""
    from .screening import similar_leads

    ids = list(officer_ids)
    if tokens:
        ids += [s.officer.pk for s in selectors.match_subjects(user, list(tokens), "") if s.officer]
    if len((text or "").strip()) < 4 and not ids:
        return []
    return similar_leads(text=text, officer_ids=ids, exclude_id=exclude, user=user)


# --- ledger (L5) -------------------------------------------------------------------------


FIGURE_LABELS = (
    ("received", gettext_lazy("受理")),
    ("pending", gettext_lazy("待受理")),
    ("screened", gettext_lazy("已筛查")),
    ("handling", gettext_lazy("在办")),
    ("concluded", gettext_lazy("办结")),
    ("crossed_off", gettext_lazy("销号")),
    ("closure_rate", gettext_lazy("查结率")),
    ("overdue", gettext_lazy("逾期")),
    ("merged", gettext_lazy("并案")),
)


def _figure_cards(figures: selectors.LedgerFigures) -> list[tuple[str, str, str, str]]:
    """(key, label, shown value, definition) of each ledger figure, in display order."""
    cards = []
    for key, label in FIGURE_LABELS:
        value = getattr(figures, key)
        if key == "closure_rate":
            value = "—" if value is None else f"{value}%"
        cards.append((key, label, str(value), selectors.FIGURE_DEFINITIONS[key]))
    return cards


@access.role_required(*access.LEAD_READER_ROLES)
def ledger(request: HttpRequest) -> HttpResponse:
    visible = access.leads_visible_to(request.user)
    leads = selectors.with_list_relations(selectors.ledger_filter(visible, request.GET))
    page = keyset_page(
        leads, ordering=("-received_date", "-id"), cursor=request.GET.get("after"), size=50
    )
    # L5/L12 figures for the chosen period, subtree, office, category, channel or search —
    # not narrowed by status (the figures are the statuses) or by the page cursor.
    counted = selectors.ledger_filter(visible, selectors.figure_params(request.GET))
    figures = selectors.ledger_figures(request.user, leads=counted)
    leniency = leniency_for(page.items)
    leniency_figure = leniency_counts(counted)
    today = timezone.localdate()
    cutoff = selectors.intake_cutoff(today)
    for lead in page.items:
        lead.flag_overdue = (lead.is_open and lead.deadline and lead.deadline < today) or (
            lead.status in (S.UNREGISTERED, S.REGISTERED) and lead.received_date < cutoff
        )
    _audit_list_read(request, "leads.ledger.read", page.items, filters=request.GET.dict())
    return render(
        request,
        "leads/ledger.html",
        {
            "page": page,
            "figures": figures,
            "figure_cards": _figure_cards(figures),
            "leniency": leniency,
            "leniency_figure": leniency_figure,
            "office_tools": access.has_role(request.user, *access.LEAD_OFFICE_ROLES),
            "can_screen": access.has_role(request.user, Role.INTAKE, Role.OFFICE, Role.LEADER),
            "statuses": S.choices,
            "categories": LeadCategory.choices,
            "channels": Channel.objects.all(),
            "units": access.units_visible_to(request.user, access.LEAD_READER_ROLES)
            .filter(depth__lte=6)
            .order_by("path")[:300],
            "params": request.GET,
        },
    )


def _audit_list_read(request, action: str, leads, **data) -> None:
    """A list page that shows leads' content is a read of each of them (one event)."""
    audit_record(
        actor=request.user,
        action=action,
        verb=AuditVerb.READ,
        object_type="leads.lead",
        data={"ids": [lead.pk for lead in leads], **data},
        request=request,
    )


# --- detail and actions --------------------------------------------------------------------


def _detail_context(request, lead, **extra) -> dict:
    user = request.user
    manage = access.can_manage_lead(user, lead)
    handle = access.can_handle_lead(user, lead)
    signatures = list(Signature.objects.filter(lead=lead).select_related("signer"))
    live = {s.role: s for s in signatures if s.binds(lead)}
    can_sign_handler = lead.status == S.SIGNING and handle and SignatureRole.HANDLER not in live
    can_sign_head = (
        lead.status == S.SIGNING
        and not handle
        and SignatureRole.UNIT_HEAD not in live
        and services.is_unit_head_of(user, lead.handling_unit)
    )
    writable = lead.is_writable
    subjects = list(lead.subjects.select_related("officer__unit"))
    similar = []
    if manage and lead.status in (S.UNREGISTERED, S.REGISTERED, S.HELD):  # L3 before triage
        similar = _similar_for(
            user,
            text=lead.summary,
            officer_ids=[s.officer_id for s in subjects if s.officer_id],
            exclude=lead.pk,
        )
    # 并入此线索 from the duplicate panel: this lead into a registered, unmerged one.
    can_merge = (
        writable
        and manage
        and lead.status in (S.UNREGISTERED, S.REGISTERED, S.HELD)
        and lead.merged_into_id is None
    )
    for s in similar:
        s.can_merge_into = can_merge and s.lead.status not in (S.UNREGISTERED, S.MERGED)
    ctx = {
        "lead": lead,
        "merge_lead": lead if can_merge else None,
        "subjects": subjects,
        "similar": similar,
        "merged": selectors.merged_leads(user, lead),
        "status_labels": dict(S.choices),
        "timeline": selectors.lead_timeline(lead),
        "signatures": signatures,
        "live": live,
        "manage": manage,
        "handle": handle,
        "writable": writable,
        "can_reveal": access.can_reveal_reporter(user, lead) and not lead.reporter_anonymous,
        "can_triage": manage and lead.status in (S.REGISTERED, S.HELD),
        "can_register": manage and lead.status == S.UNREGISTERED,
        "can_conclude": handle and lead.status in (S.HANDLING, S.SIGNING) and writable,
        "can_note": (handle or manage) and writable and lead.is_screened,
        "can_sign_handler": can_sign_handler,
        "can_sign_head": can_sign_head,
        "can_cross_off": manage and lead.status == S.CONCLUDED,
        "can_feedback": manage and lead.status == S.TRANSFERRED,
        "can_reply": manage and lead.is_public,
        "transfer_form": forms.TransferForm(auto_id="transfer-%s"),
        "assign_form": forms.AssignForm(auto_id="assign-%s"),
        "merge_form": forms.MergeForm(auto_id="merge-%s"),
        "reason_form": forms.ReasonForm(auto_id="reason-%s"),
        "event_form": forms.EventForm(auto_id="event-%s"),
        "conclude_form": forms.ConcludeForm(
            auto_id="conclude-%s",
            initial={
                "conclusion": lead.conclusion,
                "result": lead.result,
                "disposition_form": lead.disposition_form,
                "dealt_with": lead.dealt_with,
            },
        ),
        "feedback_form": forms.TransferFeedbackForm(auto_id="feedback-%s"),
        "reply_form": forms.ReplyForm(auto_id="reply-%s"),
        "handler_units": access.units_visible_to(user, access.LEAD_OFFICE_ROLES).order_by("path")[
            :300
        ]
        if manage
        else [],
        "unfounded": LeadConclusion.UNFOUNDED,
    }
    ctx["has_actions"] = any(
        ctx[k]
        for k in (
            "can_register",
            "can_triage",
            "can_feedback",
            "can_conclude",
            "can_sign_handler",
            "can_sign_head",
            "can_cross_off",
            "can_note",
            "can_reply",
        )
    )
    ctx.update(attachment_views.attachment_context(user, lead))
    ctx.update(intake_views.detail_context(user, lead))
    if can_sign_head:
        ctx.update(conflict_views.sign_conflicts_context(user, lead))
    ctx.update(oversight_context(user, lead))
    ctx.update(extra)
    return ctx


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = access.get_lead_for_user(request.user, pk)
    services.lead_record_read(lead=lead, actor=request.user, request=request)
    ctx = _detail_context(request, lead)
    if ctx["merged"]:  # their texts and reporters' messages are shown: a read of each
        _audit_list_read(request, "leads.lead.merged_read", ctx["merged"], main=lead.pk)
    return render(request, "leads/detail.html", ctx)


@login_required
@require_POST
def lead_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    lead = access.get_lead_for_user(request.user, pk)
    try:
        name, contact = services.lead_reveal_reporter(
            lead=lead, actor=request.user, request=request
        )
    except LeadWorkflowError as exc:
        raise PermissionDenied(str(exc)) from exc
    response = render(
        request,
        "leads/detail.html",
        _detail_context(request, lead, revealed={"name": name, "contact": contact}),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def lead_archive_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable A4 archive sheet of a concluded lead (conclusion and signatures)."""
    lead = access.get_lead_for_user(request.user, pk)
    if lead.concluded_at is None:
        raise PermissionDenied
    audit_record(
        actor=request.user,
        action="leads.lead.archive_printed",
        verb=AuditVerb.READ,
        target=lead,
        request=request,
    )
    signatures = Signature.objects.filter(lead=lead, voided_at__isnull=True)
    return render(
        request,
        "leads/archive_sheet.html",
        {"lead": lead, "signatures": signatures, "subjects": lead.subjects.all()},
    )


ACTIONS = {}


def action(name):
    def deco(fn):
        ACTIONS[name] = fn
        return fn

    return deco


def _need(flag: bool):
    if not flag:
        raise PermissionDenied


def _posted_text(request, name: str, limit: int, label: str) -> str:
    """A free-text POST value within its stated limit: longer is refused, never cut."""
    text = request.POST.get(name, "")
    if len(text) > limit:
        raise LeadWorkflowError(
            forms.TEXT_TOO_LONG % {"label": label, "max": limit, "n": len(text)}
        )
    return text


@action("transfer")
def _transfer(request, lead, ctx):
    _need(ctx["can_triage"])
    form = forms.TransferForm(request.POST)
    if not form.is_valid():
        raise LeadWorkflowError(_("请填写接收机关和移交日期"))
    d = form.cleaned_data
    services.lead_transfer(
        lead=lead,
        actor=request.user,
        body=d["body"],
        date=d["date"],
        reason=d["reason"],
        request=request,
    )
    return _("已移交纪委监委")


@action("feedback")
def _feedback(request, lead, ctx):
    _need(ctx["can_feedback"])
    form = forms.TransferFeedbackForm(request.POST)
    if not form.is_valid():
        raise LeadWorkflowError(_("请填写反馈结论和内容"))
    services.lead_transfer_feedback(
        lead=lead,
        actor=request.user,
        feedback=form.cleaned_data["feedback"],
        conclusion=form.cleaned_data["conclusion"],
        request=request,
    )
    return _("已登记纪委监委反馈")


@action("assign")
def _assign(request, lead, ctx):
    _need(ctx["can_triage"] or (ctx["manage"] and lead.status == S.HANDLING))
    form = forms.AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        if "handler" in form.errors:  # unknown, ambiguous or out of scope: say which
            raise LeadWorkflowError("；".join(form.errors["handler"]))
        if services.DEADLINE_IN_PAST in form.errors.get("deadline", []):
            if not ctx["can_triage"]:  # the 指定承办人 form shows its own checkbox
                raise LeadWorkflowError(services.DEADLINE_IN_PAST)
            # The page again with the values kept and the confirmation box: a second submit.
            messages.warning(request, services.DEADLINE_IN_PAST)
            return render(
                request,
                "leads/detail.html",
                _detail_context(
                    request,
                    lead,
                    assign_form=forms.AssignForm(
                        request.POST, auto_id="assign-%s", user=request.user
                    ),
                    assign_unit_value=request.POST.get("unit", ""),
                    assign_confirm_past=True,
                ),
                status=422,
            )
        raise LeadWorkflowError(_("请完整填写处置方式、承办单位、承办人和办理期限"))
    d = form.cleaned_data
    unit = access.get_unit_for_user(request.user, d["unit"])
    handler = d["handler"]
    try:
        services.lead_assign(
            lead=lead,
            actor=request.user,
            unit=unit,
            handler=handler,
            deadline=d["deadline"],
            route=d["route"],
            reason=d["reason"],
            override_reason=d["override_reason"],
            past_deadline_confirmed=d["confirm_past_deadline"],
            request=request,
        )
    except conflicts.HandlerConflictError as exc:
        if not ctx["can_triage"]:  # no assign form on the page to show the warnings in
            raise LeadWorkflowError(f"{exc}：{'；'.join(exc.conflicts)}") from exc
        # Not assigned: the page again, the values kept, the reasons and the override field.
        messages.warning(request, str(exc))
        return render(
            request,
            "leads/detail.html",
            _detail_context(
                request,
                lead,
                assign_form=forms.AssignForm(request.POST, auto_id="assign-%s", user=request.user),
                assign_unit_value=str(unit.pk),
                **conflict_views.assign_conflicts_context(
                    request.user, lead, handler, handler.number
                ),
            ),
        )
    if d["override_reason"].strip():
        return _("已交办（已记录回避提示及仍然交办的理由）")
    return _("已交办")


@action("merge")
def _merge(request, lead, ctx):
    _need(ctx["can_triage"] or (ctx["manage"] and lead.status == S.UNREGISTERED))
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        raise LeadWorkflowError(_("请填写主线索编号"))
    d = form.cleaned_data
    visible = access.leads_visible_to(request.user)
    if d["into_id"]:
        into = visible.filter(pk=d["into_id"]).first()
    else:
        into = visible.filter(number=d["into"].strip()).first()
    if into is None:
        raise LeadWorkflowError(_("找不到该编号的线索"))
    services.lead_merge(
        lead=lead,
        into=into,
        actor=request.user,
        reason=d["reason"],
        request=request,
    )
    return _("已并入线索 %(n)s") % {"n": into.number}


@action("hold")
def _hold(request, lead, ctx):
    _need(ctx["can_triage"] or (ctx["manage"] and lead.status == S.HANDLING))
    reason = _posted_text(request, "reason", forms.NOTE_MAX, _("理由"))
    services.lead_hold(lead=lead, actor=request.user, reason=reason, request=request)
    return _("已暂存待查")


@action("close")
def _close(request, lead, ctx):
    _need(ctx["can_triage"] or (ctx["manage"] and lead.status == S.UNREGISTERED))
    reason = _posted_text(request, "reason", forms.NOTE_MAX, _("理由"))
    services.lead_close(lead=lead, actor=request.user, reason=reason, request=request)
    return _("已予以了结")


@action("event")
def _event(request, lead, ctx):
    _need(ctx["can_note"])
    form = forms.EventForm(request.POST)
    if not form.is_valid():
        raise LeadWorkflowError(_("请填写记录内容"))
    d = form.cleaned_data
    services.lead_add_event(
        lead=lead,
        actor=request.user,
        kind=d["kind"],
        text=d["text"],
        participants=d["participants"],
        conclusion=d["conclusion"],
        request=request,
    )
    return _("已记录")


@action("conclude")
def _conclude(request, lead, ctx):
    _need(ctx["can_conclude"])
    form = forms.ConcludeForm(request.POST)
    if not form.is_valid():
        raise LeadWorkflowError(_("请选择办理结论并填写办理结果"))
    d = form.cleaned_data
    services.lead_conclude(
        lead=lead,
        actor=request.user,
        conclusion=d["conclusion"],
        result=d["result"],
        disposition_form=d["disposition_form"],
        dealt_with=d["dealt_with"],
        request=request,
    )
    if d["conclusion"] == LeadConclusion.UNFOUNDED:
        return _("查否结论已提交，待承办人和承办单位主要负责人签字背书")
    return _("已办结")


@action("sign")
def _sign(request, lead, ctx):
    role = request.POST.get("role")
    override_reason = _posted_text(request, "override_reason", 1000, _("仍然签字的理由"))
    # Checked again in the service (own account, own part, exact text, conflicts).
    try:
        services.lead_sign(
            lead=lead,
            actor=request.user,
            role=role,
            override_reason=override_reason,
            request=request,
        )
    except conflicts.HandlerConflictError as exc:
        if not ctx["can_sign_head"]:
            raise LeadWorkflowError(str(exc)) from exc
        messages.warning(request, str(exc))
        return render(request, "leads/detail.html", _detail_context(request, lead), status=422)
    if override_reason.strip():
        return _("已签字背书（已记录回避提示及仍然签字的理由）")
    return _("已签字背书")


@action("cross_off")
def _cross_off(request, lead, ctx):
    _need(ctx["manage"])
    services.lead_cross_off(lead=lead, actor=request.user, request=request)
    return _("已销号")


@action("reply")
def _reply(request, lead, ctx):
    _need(ctx["can_reply"])
    text = _posted_text(request, "text", forms.NOTE_MAX, _("答复举报人"))
    services.lead_reply(lead=lead, actor=request.user, text=text, request=request)
    return _("已答复举报人")


@login_required
@require_POST
def lead_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    lead = access.get_lead_for_user(request.user, pk)
    handler = ACTIONS.get(name)
    if handler is None:
        raise PermissionDenied
    ctx = _detail_context(request, lead)
    try:
        done = handler(request, lead, ctx)
    except LeadWorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if isinstance(done, HttpResponse):  # the action re-renders the page itself
            return done
        messages.success(request, done)
    return redirect("leads:detail", pk=lead.pk)


# --- public reporting (no login, no JS, nothing about the client stored) -------------------


def _client_bucket(request, what: str) -> str:
    """A cache key for rate limiting: a salted hash of the client address, kept only in the
    cache for an hour — never written to the database or the report."""
    raw = (client_ip(request) or "") + settings.SECRET_KEY
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"leads:public:{what}:{digest}"


RATE_WINDOW = 3600  # seconds


def _rate_wait(request, what: str, limit: int) -> int:
    """Seconds until the client may submit again (0: now). The window opens at the first
    counted submission and lasts an hour."""
    state = cache.get(_client_bucket(request, what))
    if not state or state["n"] < limit:
        return 0
    return max(1, int(state["until"] - time.time()))


def _rate_count(request, what: str) -> None:
    """Count one submission in the client's window (approximate under races, which is
    enough to slow down a flood)."""
    key = _client_bucket(request, what)
    now = time.time()
    state = cache.get(key) or {"n": 0, "until": now + RATE_WINDOW}
    state["n"] += 1
    cache.set(key, state, timeout=max(1, int(state["until"] - now)))


def _wait_message(text: str, seconds: int, **params) -> str:
    return text % {"minutes": max(1, math.ceil(seconds / 60)), **params}


REPORT_LIMITED = _(
    "提交过于频繁：同一网络每小时最多提交 %(n)s 件举报，请约 %(minutes)s 分钟后再试。"
)
STATUS_LIMITED = _("查询过于频繁，请约 %(minutes)s 分钟后再试。")
RECEIPT_SESSION_KEY = "leads_public_receipt"


@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """Only accepted reports count toward the hourly limit (a mistyped form does not), and an
    accepted one redirects to the receipt page (post/redirect/get), which shows the code
    once: it travels in the session, encrypted, never in a URL or a log."""
    form = forms.PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        wait = _rate_wait(request, "report", settings.LEADS_PUBLIC_RATE)
        if wait:
            limited = _wait_message(REPORT_LIMITED, wait, n=settings.LEADS_PUBLIC_RATE)
            return render(
                request, "leads/public_report.html", {"form": form, "limited": limited}, status=429
            )
        if form.is_valid() and not form.cleaned_data.get("website"):
            d = form.cleaned_data
            try:
                with transaction.atomic():  # the report and its file, or neither
                    lead, code = services.public_report_submit(
                        office=d["office"],
                        category=d["category"],
                        summary=d["summary"],
                        subject_text=d["subject"],
                        subject_unit_text=d["subject_unit"],
                        reporter_name=d["reporter_name"],
                        reporter_contact=d["reporter_contact"],
                    )
                    if d.get("attachment"):
                        # No request passed: nothing about the client is recorded. The file
                        # name is replaced, it may name the reporter.
                        attachments.attachment_add(
                            lead=lead, actor=None, upload=d["attachment"], anonymise=True
                        )
            except LeadWorkflowError as exc:
                form.add_error("attachment", str(exc))
            else:
                _rate_count(request, "report")
                request.session[RECEIPT_SESSION_KEY] = crypto.encrypt(code)
                if not request.user.is_authenticated:
                    request.session.set_expiry(0)  # gone when the browser closes
                return redirect("leads:public_receipt")
    return render(request, "leads/public_report.html", {"form": form})


@never_cache
def public_receipt(request: HttpRequest) -> HttpResponse:
    """The one-time receipt page: the code is taken out of the session as it is shown, so a
    refresh (or the back button) shows a notice instead of the code or an error."""
    token = request.session.pop(RECEIPT_SESSION_KEY, "")
    code = crypto.decrypt(token) if token else ""
    response = render(request, "leads/public_receipt.html", {"code": code})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def public_status(request: HttpRequest) -> HttpResponse:
    """The reporter enters the receipt code (POST, so it never lands in a URL or log)."""
    if request.method != "POST":
        return render(request, "leads/public_status.html", {"form": forms.ReceiptForm()})
    # Every lookup counts here, wrong codes included: this limit slows down guessing.
    wait = _rate_wait(request, "status", 30)
    if wait:
        return render(
            request,
            "leads/public_status.html",
            {"form": forms.ReceiptForm(), "limited": _wait_message(STATUS_LIMITED, wait)},
            status=429,
        )
    _rate_count(request, "status")
    form = forms.ReceiptForm(request.POST)
    lead = services.lead_for_receipt(request.POST.get("code", "")) if form.is_valid() else None
    if lead is None:
        return render(
            request,
            "leads/public_status.html",
            {"form": form, "not_found": request.method == "POST"},
            status=404 if form.is_valid() else 200,
        )
    op = request.POST.get("op")
    notice = ""
    if op == "message":
        msg = forms.ReporterMessageForm(request.POST)
        if msg.is_valid():
            services.reporter_message(lead=lead, text=msg.cleaned_data["text"])
            notice = _("留言已提交")
    elif op == "rate":
        rate = forms.RateForm(request.POST)
        if rate.is_valid():
            try:
                services.reporter_rate(lead=lead, rating=rate.cleaned_data["rating"])
                notice = _("感谢您的评价")
            except LeadWorkflowError as exc:
                notice = str(exc)
    response = render(
        request,
        "leads/public_status.html",
        {
            "lead": lead,
            "code": services.normalise_receipt(request.POST.get("code", "")),
            "status_text": selectors.public_status(lead),
            "timeline": selectors.public_timeline(lead),
            "notice": notice,
            "can_rate": services.reporter_can_rate(lead) and not lead.reporter_rating,
            "message_form": forms.ReporterMessageForm(),
            "rate_form": forms.RateForm(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# --- handler and unit head pages --------------------------------------------------------


@access.role_required(Role.HANDLER, Role.UNIT_HEAD)
def my_work(request: HttpRequest) -> HttpResponse:
    mine = selectors.with_list_relations(selectors.my_leads(request.user)).order_by(
        "deadline", "id"
    )[:200]
    to_sign = selectors.with_list_relations(selectors.awaiting_signature(request.user)).order_by(
        "id"
    )[:200]
    mine, to_sign = list(mine), list(to_sign)
    _audit_list_read(request, "leads.my_work.read", mine + to_sign)
    return render(request, "leads/my_work.html", {"mine": mine, "to_sign": to_sign})
