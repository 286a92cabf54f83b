"""Office pages of O4: public commitments, survey batches with their printable slips, and
survey results per unit and per item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rectify.access import get_unit_for_user, has_role
from rectify.models import Role
from rectify.params import id_param

from .. import access, audit
from ..forms.public import CommitmentEditForm, CommitmentForm, SurveyBatchForm
from ..rules.qr import qr_svg
from ..selectors import public as selectors
from ..services import public as services
from ..services import surveys
from ..services.public import PublicError
from ..services.surveys import SurveyError

OFFICE = access.PUBLIC_MANAGER_ROLES


def _office_unit(request: HttpRequest, pk: int) -> object:
    """A unit chosen in a form: in the user's office scope, else 404."""
    unit = get_unit_for_user(request.user, pk)
    if not access.can_manage_public_of(request.user, unit):
        raise Http404
    return unit


def _require_office(request: HttpRequest) -> None:
    if not has_role(request.user, *OFFICE):
        raise PermissionDenied


# --- commitments ---------------------------------------------------------------------------


def _commitments_page(request: HttpRequest, form: CommitmentForm) -> HttpResponse:
    page = selectors.commitment_list(request.user, cursor=request.GET.get("after"))
    audit.audit_read(actor=request.user, action=audit.COMMITMENT_LIST_READ, request=request)
    return render(request, "remediation/commitments.html", {"page": page, "form": form})


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    units = selectors.units_for_public_management(request.user)
    return _commitments_page(request, CommitmentForm(units=units))


@login_required
@require_POST
def commitment_create(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    units = selectors.units_for_public_management(request.user)
    form = CommitmentForm(request.POST, units=units)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.commitment_create(
                unit=_office_unit(request, d["unit"]),
                title=d["title"],
                text=d["text"],
                due_date=d["due_date"],
                is_published=d["is_published"],
                actor=request.user,
                request=request,
            )
        except PublicError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("承诺已登记"))
            return redirect("remediation:commitments")
    return _commitments_page(request, form)


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = access.get_commitment_for_user(request.user, pk)
    if not access.can_manage_public_of(request.user, commitment.unit):
        raise PermissionDenied
    initial = {
        "title": commitment.title,
        "text": commitment.text,
        "due_date": commitment.due_date,
        "is_published": commitment.is_published,
    }
    form = CommitmentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.commitment_update(
            commitment=commitment, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("承诺已保存"))
        return redirect("remediation:commitments")
    return render(
        request, "remediation/commitment_edit.html", {"commitment": commitment, "form": form}
    )


# --- survey batches and slips --------------------------------------------------------------


def _batch_form(request: HttpRequest, data: object = None) -> SurveyBatchForm:
    units = selectors.units_for_public_management(request.user)
    initial = {}
    item_pk = id_param(request.GET, "item")
    if item_pk is not None:
        item = access.get_item_for_user(request.user, item_pk)
        initial = {"unit": item.unit_id, "item_number": item.number}
    return SurveyBatchForm(data, units=units, initial=initial)


@login_required
def survey_batch_new(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    return render(request, "remediation/survey_batch.html", {"form": _batch_form(request)})


@login_required
@require_POST
@never_cache
def survey_batch_create(request: HttpRequest) -> HttpResponse:
    """Creates the codes and prints them at once: this response is the only place the
    plain codes ever exist (not stored, not in a URL, not in the session)."""
    _require_office(request)
    form = _batch_form(request, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        unit = _office_unit(request, d["unit"])
        item = None
        if d["item_number"]:
            item = selectors.visible_item_by_number(request.user, d["item_number"])
            if item is None:
                form.add_error("item_number", _("找不到该编号的整改问题（须为您可见的问题）"))
        if not form.errors:
            try:
                batch, codes = surveys.survey_batch_create(
                    unit=unit, item=item, size=d["size"], actor=request.user, request=request
                )
            except SurveyError as exc:
                form.add_error(None, str(exc))
            else:
                base = request.build_absolute_uri(reverse("remediation:survey"))
                slips = [
                    {"code": c, "url": f"{base}?code={c}", "qr": qr_svg(f"{base}?code={c}")}
                    for c in codes
                ]
                response = render(
                    request,
                    "remediation/survey_slips.html",
                    {"batch": batch, "slips": slips, "survey_url": base},
                )
                response["Cache-Control"] = "no-store"
                return response
    return render(request, "remediation/survey_batch.html", {"form": form}, status=200)


# --- results -------------------------------------------------------------------------------


@login_required
def survey_results(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.OFFICE, Role.LEADER):
        raise PermissionDenied
    items = selectors.survey_results_by_item(request.user, cursor=request.GET.get("after"))
    audit.audit_read(actor=request.user, action=audit.SURVEY_RESULTS_READ, request=request)
    return render(
        request,
        "remediation/survey_results.html",
        {
            "units": selectors.survey_results_by_unit(request.user),
            "items": items,
            "policy": selectors.current_policy(),
        },
    )
