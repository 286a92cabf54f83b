"""我为群众办实事 (O5): the list with filters, keyset pages and completion per unit
subtree; registering a matter; the owner's completion with evidence; the evidence file."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rectify.access import get_unit_for_user, has_role

from .. import access, audit
from ..forms.public import MatterCompleteForm, MatterFilterForm, MatterForm
from ..selectors import public as selectors
from ..services import public as services
from ..services.public import PublicError


def _list_page(request: HttpRequest, create_form: MatterForm | None) -> HttpResponse:
    units = selectors.units_for_matters(request.user)
    filters_form = MatterFilterForm(request.GET or None, units=units)
    unit = None
    state, q = "", ""
    if filters_form.is_valid():
        d = filters_form.cleaned_data
        if d["unit"] is not None:
            unit = get_unit_for_user(request.user, d["unit"])
        state, q = d["state"], d["q"].strip()
    filters = selectors.MatterFilters(unit=unit, state=state, q=q)
    page = selectors.matter_list(request.user, filters, cursor=request.GET.get("after"))
    audit.audit_read(
        actor=request.user,
        action=audit.MATTER_LIST_READ,
        request=request,
        data={"unit": unit.pk if unit else None, "state": state, "q": q},
    )
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "remediation/matters.html",
        {
            "page": page,
            "filters_form": filters_form,
            "rates": selectors.matter_completion_rates(request.user, unit),
            "form": create_form,
            "today": selectors.today(),
            "query": params.urlencode(),
        },
    )


@login_required
def matters(request: HttpRequest) -> HttpResponse:
    form = None
    if has_role(request.user, *access.MATTER_MANAGER_ROLES):
        form = MatterForm(user=request.user, units=selectors.units_for_matters(request.user))
    return _list_page(request, form)


@login_required
@require_POST
def matter_create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *access.MATTER_MANAGER_ROLES):
        raise PermissionDenied
    units = selectors.units_for_matters(request.user)
    form = MatterForm(request.POST, user=request.user, units=units)
    if form.is_valid():
        d = form.cleaned_data
        unit = get_unit_for_user(request.user, d["unit"])
        if not access.can_manage_matters_of(request.user, unit):
            raise Http404
        try:
            matter = services.matter_create(
                unit=unit,
                title=d["title"],
                commitment=d["commitment"],
                owner=d["owner"],
                deadline=d["deadline"],
                is_public=d["is_public"],
                actor=request.user,
                request=request,
            )
        except PublicError as exc:
            form.add_error("owner", str(exc))
        else:
            messages.success(request, _("实事项目已登记"))
            return redirect("remediation:matter_detail", pk=matter.pk)
    return _list_page(request, form)


def _detail(request: HttpRequest, matter: object, form: MatterCompleteForm | None) -> HttpResponse:
    return render(
        request,
        "remediation/matter_detail.html",
        {"matter": matter, "form": form, "today": selectors.today()},
    )


@login_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = access.get_matter_for_user(request.user, pk)
    form = MatterCompleteForm() if access.can_complete_matter(request.user, matter) else None
    return _detail(request, matter, form)


@login_required
@require_POST
def matter_complete(request: HttpRequest, pk: int) -> HttpResponse:
    matter = access.get_matter_for_user(request.user, pk)
    if not access.can_complete_matter(request.user, matter):
        raise PermissionDenied
    form = MatterCompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.matter_complete(
                matter=matter,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["evidence"],
                actor=request.user,
                request=request,
            )
        except PublicError as exc:
            form.add_error("evidence", str(exc))
        else:
            messages.success(request, _("已办结"))
            return redirect("remediation:matter_detail", pk=matter.pk)
    return _detail(request, matter, form)


@login_required
@require_GET
@never_cache
def matter_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    matter = access.get_matter_for_user(request.user, pk)
    document = selectors.matter_evidence(matter)
    if document is None:
        raise Http404
    audit.audit_read(
        actor=request.user,
        action=audit.MATTER_EVIDENCE_READ,
        target=matter,
        request=request,
        data={"document": document.pk},
    )
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    fallback = "".join(
        c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in document.name
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
