"""查处典型案例宣传 (O6): drafted by office staff, submitted, published only after a leader
of the case's unit subtree approves it (rectify.approval, shared with self-check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify.access import get_unit_for_user, has_role
from rectify.approval import ApprovalStatus

from .. import access, audit
from ..forms.public import DecisionForm, TypicalCaseForm
from ..selectors import public as selectors
from ..services import public as services
from ..services.public import PublicError


def _list(request: HttpRequest, form: TypicalCaseForm | None) -> HttpResponse:
    page = selectors.typical_case_list(request.user, cursor=request.GET.get("after"))
    return render(request, "remediation/cases.html", {"page": page, "form": form})


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    form = None
    if has_role(request.user, *access.PUBLIC_MANAGER_ROLES):
        form = TypicalCaseForm(units=selectors.units_for_public_management(request.user))
    return _list(request, form)


@login_required
@require_POST
def case_create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *access.PUBLIC_MANAGER_ROLES):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST, units=selectors.units_for_public_management(request.user))
    if form.is_valid():
        d = form.cleaned_data
        unit = get_unit_for_user(request.user, d["unit"])
        if not access.can_manage_public_of(request.user, unit):
            raise Http404
        try:
            case = services.typical_case_create(
                unit=unit, title=d["title"], body=d["body"], actor=request.user, request=request
            )
        except PublicError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("案例已保存为草稿，提交审批并经领导批准后发布"))
            return redirect("remediation:case_detail", pk=case.pk)
    return _list(request, form)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_typical_case_for_user(request.user, pk)
    audit.audit_read(actor=request.user, action=audit.TYPICAL_CASE_READ, target=case)
    can_decide = case.status == ApprovalStatus.PENDING and access.can_decide_typical_case(
        request.user, case
    )
    return render(
        request,
        "remediation/case_detail.html",
        {
            "case": case,
            "can_submit": access.can_submit_typical_case(request.user, case),
            "can_decide": can_decide,
            "decision_form": DecisionForm() if can_decide else None,
        },
    )


@login_required
@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_typical_case_for_user(request.user, pk)
    if not access.can_manage_public_of(request.user, case.unit):
        raise PermissionDenied
    try:
        services.typical_case_submit(case=case, actor=request.user, request=request)
        messages.success(request, _("已提交领导审批"))
    except PublicError as exc:
        messages.error(request, str(exc))
    return redirect("remediation:case_detail", pk=case.pk)


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_typical_case_for_user(request.user, pk)
    if not access.can_decide_typical_case(request.user, case):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("remediation:case_detail", pk=case.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.typical_case_decide(
            case=case,
            approve=approve,
            actor=request.user,
            note=form.cleaned_data["note"],
            request=request,
        )
        messages.success(request, _("已批准发布") if approve else _("已退回，不予发布"))
    except PublicError as exc:
        messages.error(request, str(exc))
    return redirect("remediation:case_detail", pk=case.pk)
