"""Pages of supervision (O1): issue a 督办单 or 批示 about a lead, an item or a unit's
figure; the order's page and its printable 督办通知书; reply, accept, return; acknowledge
and answer an instruction; 我督办的 and 待我办理. Thin: objects come from the access helpers
(invisible and missing give 404), writes from leadership.services; a refused write or bad
input re-renders the page with the message and a 422."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leads.access import get_lead_for_user
from rectify import access
from rectify.audit import audit_read
from rectify.params import id_param
from remediation.access import get_item_for_user

from .. import services
from ..access import (
    SUPERVISION_ISSUER_ROLES,
    can_issue_to,
    get_instruction_for_user,
    get_order_for_user,
    instruction_actions_for,
    order_actions_for,
)
from ..forms.supervision import (
    AnswerForm,
    InstructionForm,
    OrderForm,
    ReplyForm,
    ReturnForm,
    form_errors,
)
from ..selectors import supervision as selectors

if TYPE_CHECKING:
    from rectify.models import AnyUser


def _target(user: AnyUser, params: Any) -> dict[str, Any]:
    """What the new order/instruction is about, from ?lead= / ?item= / ?unit=&figure=
    (each looked up through its app's access helper: invisible or missing → 404)."""
    lead_id, item_id, unit_id = (id_param(params, k) for k in ("lead", "item", "unit"))
    if lead_id:
        lead = get_lead_for_user(user, lead_id)
        return {
            "lead": lead,
            "unit": selectors.lead_addressee(lead),
            "label": _("问题线索 %(n)s") % {"n": lead.number or lead.pk},
            "back": reverse("leads:detail", args=[lead.pk]),
            "hidden": {"lead": lead.pk},
        }
    if item_id:
        item = get_item_for_user(user, item_id)
        return {
            "item": item,
            "unit": item.unit,
            "label": _("整改问题 %(n)s") % {"n": item.number},
            "back": reverse("remediation:item_detail", args=[item.pk]),
            "hidden": {"item": item.pk},
        }
    if unit_id:
        unit = access.get_unit_for_user(user, unit_id)
        figure = str(params.get("figure", ""))
        return {
            "unit": unit,
            "figure_key": figure,
            "label": _("%(unit)s 的工作指标") % {"unit": unit.name},
            "back": reverse("leadership:supervising"),
            "hidden": {"unit": unit.pk},
            "figures": list(selectors.FIGURES.items()),
            "value": selectors.figure_value(user, unit, figure) if figure else None,
        }
    raise Http404


def _issue(request: HttpRequest, *, instruction: bool) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    target = _target(request.user, params)
    if not can_issue_to(request.user, target["unit"]):
        raise PermissionDenied
    form_class = InstructionForm if instruction else OrderForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            d = form.cleaned_data
            about = {
                "unit": target["unit"],
                "lead": target.get("lead"),
                "item": target.get("item"),
                "figure_key": str(request.POST.get("figure", "")) if "figures" in target else "",
            }
            try:
                if instruction:
                    person = None
                    if d["person"]:
                        person = (
                            access.officers_visible_to(request.user)
                            .filter(number=d["person"].strip())
                            .first()
                        )
                        if person is None:
                            raise services.SupervisionError(_("未找到该警号的干警"))
                    obj = services.instruction_issue(
                        actor=request.user,
                        text=d["text"],
                        person=person,
                        deadline=d["deadline"],
                        request=request,
                        **about,
                    )
                    messages.success(request, _("批示已下达"))
                    return redirect("leadership:instruction_detail", pk=obj.pk)
                obj = services.supervision_order_issue(
                    actor=request.user,
                    content=d["content"],
                    requirement=d["requirement"],
                    deadline=d["deadline"],
                    request=request,
                    **about,
                )
                messages.success(request, _("督办单 %(n)s 已下发") % {"n": obj.number})
                return redirect("leadership:order_detail", pk=obj.pk)
            except services.SupervisionError as exc:
                messages.error(request, str(exc))
    return render(
        request,
        "leadership/supervision/issue.html",
        {"form": form, "target": target, "instruction": instruction},
        status=status,
    )


@access.role_required(*SUPERVISION_ISSUER_ROLES)
def order_new(request: HttpRequest) -> HttpResponse:
    """下发督办单 about ?lead=, ?item= or ?unit=&figure=."""
    return _issue(request, instruction=False)


@access.role_required(*SUPERVISION_ISSUER_ROLES)
def instruction_new(request: HttpRequest) -> HttpResponse:
    """作出批示 about ?lead=, ?item= or ?unit=&figure=."""
    return _issue(request, instruction=True)


def _order_page(
    request: HttpRequest, order: Any, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = selectors.order_page(request.user, order)
    context["reply_form"] = forms.get("reply_form") or ReplyForm(auto_id="reply-%s")
    context["return_form"] = forms.get("return_form") or ReturnForm(auto_id="return-%s")
    return render(request, "leadership/supervision/order_detail.html", context, status=status)


def _audit_order_read(request: HttpRequest, order: Any, action: str) -> None:
    audit_read(actor=request.user, action=action, target=order, request=request)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_order_for_user(request.user, pk)
    _audit_order_read(request, order, "leadership.order.read")
    return _order_page(request, order)


@login_required
def order_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 督办通知书 (A4)."""
    order = get_order_for_user(request.user, pk)
    _audit_order_read(request, order, "leadership.order.printed")
    return render(
        request,
        "leadership/supervision/order_print.html",
        selectors.order_page(request.user, order),
    )


def _order_action(request: HttpRequest, pk: int, action: str) -> tuple[Any, bool]:
    order = get_order_for_user(request.user, pk)
    if not order_actions_for(request.user, order)[action]:
        raise PermissionDenied
    return order, True


@login_required
@require_POST
def order_reply(request: HttpRequest, pk: int) -> HttpResponse:
    order, _ok = _order_action(request, pk, "reply")
    form = ReplyForm(request.POST, auto_id="reply-%s")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _order_page(request, order, status=422, reply_form=form)
    try:
        services.supervision_reply_submit(
            actor=request.user, order=order, text=form.cleaned_data["text"], request=request
        )
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return _order_page(request, order, status=422, reply_form=form)
    messages.success(request, _("回复已报送"))
    return redirect("leadership:order_detail", pk=order.pk)


@login_required
@require_POST
def order_accept(request: HttpRequest, pk: int) -> HttpResponse:
    order, _ok = _order_action(request, pk, "accept")
    try:
        services.supervision_reply_accept(actor=request.user, order=order, request=request)
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return _order_page(request, order, status=422)
    messages.success(request, _("已认可回复，督办单办结"))
    return redirect("leadership:order_detail", pk=order.pk)


@login_required
@require_POST
def order_return(request: HttpRequest, pk: int) -> HttpResponse:
    order, _ok = _order_action(request, pk, "return")
    form = ReturnForm(request.POST, auto_id="return-%s")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _order_page(request, order, status=422, return_form=form)
    try:
        services.supervision_reply_return(
            actor=request.user, order=order, reason=form.cleaned_data["reason"], request=request
        )
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return _order_page(request, order, status=422, return_form=form)
    messages.success(request, _("回复已退回"))
    return redirect("leadership:order_detail", pk=order.pk)


# --- 批示 --------------------------------------------------------------------------------------


def _instruction_page(
    request: HttpRequest, instruction: Any, *, status: int = 200, form: Any = None
) -> HttpResponse:
    instruction.actions = instruction_actions_for(request.user, instruction)
    return render(
        request,
        "leadership/supervision/instruction_detail.html",
        {
            "instruction": instruction,
            "answer_form": form or AnswerForm(auto_id="answer-%s"),
            "figure_label": selectors.figure_label(instruction.figure_key)
            if instruction.figure_key
            else "",
        },
        status=status,
    )


@login_required
def instruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = get_instruction_for_user(request.user, pk)
    audit_read(
        actor=request.user,
        action="leadership.instruction.read",
        target=instruction,
        request=request,
    )
    return _instruction_page(request, instruction)


@login_required
@require_POST
def instruction_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = get_instruction_for_user(request.user, pk)
    if not instruction_actions_for(request.user, instruction)["acknowledge"]:
        raise PermissionDenied
    try:
        services.instruction_acknowledge(
            actor=request.user, instruction=instruction, request=request
        )
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return _instruction_page(request, instruction, status=422)
    messages.success(request, _("已签收"))
    return redirect("leadership:instruction_detail", pk=instruction.pk)


@login_required
@require_POST
def instruction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = get_instruction_for_user(request.user, pk)
    if not instruction_actions_for(request.user, instruction)["answer"]:
        raise PermissionDenied
    form = AnswerForm(request.POST, auto_id="answer-%s")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _instruction_page(request, instruction, status=422, form=form)
    try:
        services.instruction_answer(
            actor=request.user,
            instruction=instruction,
            answer=form.cleaned_data["answer"],
            request=request,
        )
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return _instruction_page(request, instruction, status=422, form=form)
    messages.success(request, _("办理情况已报送"))
    return redirect("leadership:instruction_detail", pk=instruction.pk)


# --- lists -------------------------------------------------------------------------------------


@access.role_required(*SUPERVISION_ISSUER_ROLES)
def supervising(request: HttpRequest) -> HttpResponse:
    """我督办的: five bounded lists, filtered by kind, status (open/closed), overdue."""
    kind = str(request.GET.get("kind", ""))
    status = str(request.GET.get("status", ""))
    status = status if status in ("open", "closed") else ""
    overdue = bool(request.GET.get("overdue"))
    blocks = selectors.supervising_for(request.user, kind=kind, status=status, overdue=overdue)
    audit_read(
        actor=request.user,
        action="leadership.supervising.read",
        data={
            "filters": {"kind": kind, "status": status, "overdue": overdue},
            "leads": [r.pk for b in blocks if b.kind in ("listed", "escalated") for r in b.rows],
        },
        request=request,
    )
    return render(
        request,
        "leadership/supervision/supervising.html",
        {
            "blocks": blocks,
            "kinds": list(selectors.SUPERVISING_KINDS.items()),
            "units": selectors.issuable_units(request.user),
            "figures": list(selectors.FIGURES.items()),
            "params": {"kind": kind, "status": status, "overdue": overdue},
        },
    )


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """待我办理: orders and instructions addressed to the user's units awaiting an answer."""
    orders, instructions = selectors.awaiting_me(request.user)
    return render(
        request,
        "leadership/supervision/awaiting.html",
        {"orders": orders, "instructions": instructions},
    )
