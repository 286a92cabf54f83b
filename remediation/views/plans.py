"""Plan pages: the list, creation and edits by office staff, the plan page, its document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rectify.pagination import keyset_page
from rectify.params import id_param

from .. import services
from ..access import can_manage_plans_of, get_plan_for_user, plan_units_for
from ..audit import PLAN_LIST_READ, PLAN_READ, audit_read
from ..forms import PlanForm
from ..models import Plan
from ..selectors import plans as plan_selectors
from ..workflow import RemediationError
from .files import file_response


def _problem_fields(code: str) -> dict:
    if code.startswith("n") and code[1:].isdigit():
        return {"problem": "", "n_item_id": int(code[1:])}
    return {"problem": code, "n_item_id": None}


def plan_code(plan: Plan) -> str:
    return f"n{plan.n_item_id}" if plan.n_item_id else plan.problem


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = plan_selectors.reader_units(user)
    by_id = {u.pk: u for u in units}
    unit = by_id.get(id_param(request.GET, "unit"))
    campaign = plan_selectors.current_campaign()
    problems = plan_selectors.problem_choices(campaign, [u.path for u in units[:1]])
    problem = request.GET.get("problem", "")
    if problem not in dict(problems):
        problem = ""
    qs = plan_selectors.plan_list(user, unit=unit, problem=problem)
    page = keyset_page(qs, ordering=("-created_at", "-id"), cursor=request.GET.get("after"))
    audit_read(
        actor=user,
        action=PLAN_LIST_READ,
        object_type="remediation.plan",
        data={"ids": [p.pk for p in page.items]},
        request=request,
    )
    return render(
        request,
        "remediation/plan_list.html",
        {
            "page": page,
            "units": units,
            "problems": problems,
            "params": request.GET,
            "can_create": plan_units_for(user).exists(),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = plan_units_for(user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    campaign = plan_selectors.current_campaign()
    if campaign is None:
        messages.error(request, _("当前没有进行中的教育整顿活动，不能新建整治方案"))
        return redirect("remediation:plan_list")
    first = units.first()
    problems = plan_selectors.problem_choices(campaign, [first.path] if first else [])
    initial = {
        "unit": id_param(request.GET, "unit"),
        "problem": request.GET.get("problem", "")[:40],
        "start_date": campaign.rectify_start,
        "end_date": campaign.rectify_end,
    }
    form = PlanForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        units=units,
        problems=problems,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user,
                campaign=campaign,
                unit=data["unit"],
                **_problem_fields(data["problem"]),
                title=data["title"],
                goal=data["goal"],
                measures=data["measures"],
                leader=data["leader"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                upload=data["document"],
                request=request,
            )
        except RemediationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建整治方案：%(t)s") % {"t": plan.title})
            return redirect("remediation:plan_detail", pk=plan.pk)
    return render(request, "remediation/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_plan_for_user(user, pk)
    if not can_manage_plans_of(user, plan.unit):
        raise PermissionDenied
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    form = PlanForm(
        request.POST or None, request.FILES or None, user=user, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document")
        try:
            services.plan_update(plan=plan, actor=user, upload=upload, request=request, **data)
        except RemediationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存整治方案"))
            return redirect("remediation:plan_detail", pk=plan.pk)
    return render(request, "remediation/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_plan_for_user(user, pk)
    items = plan_selectors.plan_items(user, plan)
    audit_read(
        actor=user,
        action=PLAN_READ,
        target=plan,
        data={"items": [i.pk for i in items]},
        request=request,
    )
    return render(
        request,
        "remediation/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "can_manage": can_manage_plans_of(user, plan.unit),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
@never_cache
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if plan.document_id is None:
        raise PermissionDenied
    document = plan.document
    services.document_record_download(
        document=document, owner=plan, actor=request.user, request=request
    )
    return file_response(document)
