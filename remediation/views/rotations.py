"""Officer rotations (干部交流轮岗, R8): list with counts per unit subtree, the page (with the
roles left at the old unit), recording one, and the list of sensitive posts held too long."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import access
from rectify.pagination import keyset_page

from .. import audit
from ..access import (
    OUTPUT_READER_ROLES,
    ROTATION_MANAGER_ROLES,
    can_record_rotation,
    get_rotation_for_user,
)
from ..forms.outputs import RotationForm
from ..models import RotationKind
from ..selectors import outputs as selectors
from ..services import rotations as services


@access.role_required(*OUTPUT_READER_ROLES)
def rotation_list(request: HttpRequest) -> HttpResponse:
    rotations = selectors.rotation_list(request.user, request.GET)
    page = keyset_page(
        selectors.with_rotation_relations(rotations),
        ordering=("-effective_date", "-id"),
        cursor=request.GET.get("after"),
        size=30,
    )
    unit = selectors.chosen_unit(request.user, request.GET)
    # Counted where the officer went to (a move inside a subtree counts once).
    counts = selectors.subtree_counts(
        request.user, rotations, unit=unit, path_field="to_unit__path"
    )
    audit.audit_read(
        actor=request.user,
        action=audit.ROTATION_LIST_READ,
        object_type="remediation.rotation",
        data={"ids": [r.pk for r in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "remediation/rotations/list.html",
        {
            "page": page,
            "counts": counts,
            "kinds": RotationKind.choices,
            "units": selectors.filter_units(request.user),
            "params": request.GET,
            "can_create": access.has_role(request.user, *ROTATION_MANAGER_ROLES),
            "today": timezone.localdate(),
        },
    )


@login_required
def rotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rotation = get_rotation_for_user(request.user, pk)
    audit.audit_read(
        actor=request.user, action=audit.ROTATION_READ, target=rotation, request=request
    )
    manage = can_record_rotation(request.user, rotation.from_unit, rotation.to_unit)
    return render(
        request,
        "remediation/rotations/detail.html",
        {
            "rotation": rotation,
            "left_behind": selectors.rotation_roles_left_behind(rotation) if manage else [],
            "manage": manage,
        },
    )


@access.role_required(*ROTATION_MANAGER_ROLES)
def rotation_create(request: HttpRequest) -> HttpResponse:
    form = RotationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rotation = services.rotation_create(
                actor=request.user,
                officer=data["officer"],
                to_unit=data["to_unit"],
                to_post=data["to_post"],
                effective_date=data["effective_date"],
                reason=data["reason"],
                kind=data["kind"],
                request=request,
            )
        except services.RotationError as exc:
            form.add_error(None, str(exc))
        else:
            if rotation.applied_at:
                messages.success(request, _("已登记，干警信息已按新单位、新岗位调整"))
            else:
                messages.success(request, _("已登记，将于生效日期自动调整干警信息"))
            return redirect("remediation:rotation_detail", rotation.pk)
    return render(request, "remediation/rotations/form.html", {"form": form})


@access.role_required(*OUTPUT_READER_ROLES)
def rotation_overdue(request: HttpRequest) -> HttpResponse:
    """到期未轮岗: sensitive posts held longer than the rotation period, or since a day
    nobody recorded (shown as unknown, not guessed)."""
    today = timezone.localdate()
    rule = selectors.tenure_rule(today)
    officers = selectors.tenure_overdue(request.user, request.GET, rule)
    page = keyset_page(
        officers, ordering=("unit__path", "id"), cursor=request.GET.get("after"), size=50
    )
    audit.audit_read(
        actor=request.user,
        action=audit.ROTATION_OVERDUE_READ,
        object_type="rectify.officer",
        data={"ids": [o.pk for o in page.items], "filters": request.GET.dict()},
        request=request,
    )
    for officer in page.items:
        officer.years_held = (
            None
            if officer.post_start is None
            else round((today - officer.post_start).days / 365.25, 1)
        )
    return render(
        request,
        "remediation/rotations/overdue.html",
        {
            "page": page,
            "rule": rule,
            "units": selectors.filter_units(request.user),
            "params": request.GET,
            "unknown_label": selectors.POST_START_UNKNOWN,
        },
    )
