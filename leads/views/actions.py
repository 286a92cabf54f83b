"""The actions on a lead posted from its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access

from .. import forms, services
from ..access import get_lead_for_user, leads_visible_to
from ..models import LeadConclusion, LeadStatus
from ..rules import conflicts
from ..workflow import LeadWorkflowError
from . import screening
from .detail import _detail_context

S = LeadStatus


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
                **screening.assign_conflicts_context(request.user, lead, handler, handler.number),
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
    visible = leads_visible_to(request.user)
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
    lead = get_lead_for_user(request.user, pk)
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
