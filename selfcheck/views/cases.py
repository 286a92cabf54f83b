"""Warning cases (S2 / O6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.models import Role
from rectify.selectors import officer_for_user

from .. import access as rules
from .. import selectors, services
from ..forms import (
    WarningCaseForm,
)
from ..models import (
    CaseStatus,
)


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    can_draft = access.has_role(request.user, Role.OFFICE)
    can_approve = access.has_role(request.user, Role.LEADER)
    officer = officer_for_user(request.user)
    read_ids = selectors.case_ids_read_by(officer)
    form = None
    if can_draft:
        units = rules.units_to_choose(request.user, [Role.OFFICE], 500)
        form = WarningCaseForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            unit = access.get_unit_for_user(request.user, form.cleaned_data["unit"])
            if not rules.can_draft_case_for(request.user, unit):
                raise Http404
            services.warning_case_create(
                unit=unit,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                lesson=form.cleaned_data["lesson"],
                category=form.cleaned_data["category"],
                actor=request.user,
            )
            messages.success(request, _("案例已提交领导审批，批准后发布"))
            return redirect("selfcheck:cases")
    return render(
        request,
        "selfcheck/cases.html",
        {
            "cases": selectors.cases_listed(rules.warning_cases_visible_to(request.user)),
            "form": form,
            "can_approve": can_approve,
            "read_ids": read_ids,
            "show_reads": can_draft or can_approve,
            "officer": officer,
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = rules.get_warning_case_for_user(request.user, pk)
    officer = officer_for_user(request.user)
    read = selectors.case_read_by(case, officer)
    can_approve = case.status == CaseStatus.PENDING and rules.can_decide_case(request.user, case)
    per_unit = []
    if (
        access.has_role(request.user, Role.OFFICE, Role.LEADER)
        and case.status == CaseStatus.PUBLISHED
    ):
        per_unit = selectors.case_read_coverage(case)
    return render(
        request,
        "selfcheck/case_detail.html",
        {
            "case": case,
            "read": read,
            "officer": officer,
            "can_approve": can_approve,
            "per_unit": per_unit,
        },
    )


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = rules.get_warning_case_for_user(request.user, pk)
    if not rules.can_decide_case(request.user, case):
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.warning_case_decide(
            case=case, approve=approve, actor=request.user, note=request.POST.get("note", "")
        )
        messages.success(request, _("已批准发布") if approve else _("已退回，不予发布"))
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:case_detail", pk=case.pk)


@login_required
@require_POST
def case_confirm_read(request: HttpRequest, pk: int) -> HttpResponse:
    case = rules.get_warning_case_for_user(request.user, pk)
    officer = officer_for_user(request.user)
    if officer is None:
        raise Http404
    try:
        services.warning_case_confirm_read(case=case, officer=officer, actor=request.user)
        messages.success(request, _("已确认学习"))
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:case_detail", pk=case.pk)
