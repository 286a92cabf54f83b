"""Item pages: creation on a plan, the item page (its context from one selector), edits,
and 生成整改问题 from a lead or a self-check declaration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leads.access import get_lead_for_user
from rectify.selectors import unit_descendants
from selfcheck.access import get_selfcheck_for_user

from .. import forms, services
from ..access import (
    can_generate_from_lead,
    can_generate_from_report,
    can_manage_item,
    can_manage_plans_of,
    get_item_for_user,
    get_plan_for_user,
    item_visible_to,
    lead_unit,
)
from ..audit import ITEM_READ, audit_read
from ..models import Item, ItemOrigin, Plan
from ..selectors import items as item_selectors
from ..selectors import plans as plan_selectors
from ..workflow import RemediationError

ITEM_FORM_FIELDS = (
    "description",
    "kind",
    "is_hotspot",
    "is_blocking",
    "is_difficulty",
    "cause_ideals",
    "cause_purpose",
    "cause_party_spirit",
    "cause_discipline",
    "responsible_unit",
    "responsible_person",
    "deadline",
)


def _item_form(request: HttpRequest, plan: Plan, **kwargs: Any) -> forms.ItemForm:
    return forms.ItemForm(
        request.POST or None, user=request.user, units=unit_descendants(plan.unit), **kwargs
    )


def _create_from(
    request: HttpRequest, plan: Plan, form: forms.ItemForm, **source: Any
) -> Item | None:
    """Create the item from a valid form; a refusal becomes a form error."""
    data = form.cleaned_data
    fields = {name: data[name] for name in ITEM_FORM_FIELDS}
    origin = source.pop("origin", None) or data["origin"]
    try:
        return services.item_create(
            plan=plan,
            actor=request.user,
            origin=origin,
            subjects=data["subjects"],
            request=request,
            **fields,
            **source,
        )
    except RemediationError as exc:
        form.add_error(None, str(exc))
        return None


def _render_form(
    request: HttpRequest, form: forms.ItemForm, plan: Plan, **extra: Any
) -> HttpResponse:
    return render(
        request, "remediation/item_form.html", {"form": form, "plan": plan, "item": None, **extra}
    )


def _after_create(request: HttpRequest, item: Item, fallback: str) -> HttpResponse:
    messages.success(request, _("已生成整改问题 %(n)s") % {"n": item.number})
    if item_visible_to(request.user, item):
        return redirect("remediation:item_detail", pk=item.pk)
    return redirect(fallback)


@login_required
def item_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_pk)
    if not can_manage_plans_of(request.user, plan.unit):
        raise PermissionDenied
    form = _item_form(
        request, plan, initial={"deadline": plan.end_date, "responsible_unit": plan.unit}
    )
    if request.method == "POST" and form.is_valid():
        item = _create_from(request, plan, form)
        if item is not None:
            return _after_create(request, item, reverse("remediation:plan_detail", args=[plan.pk]))
    return _render_form(request, form, plan)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    audit_read(actor=request.user, action=ITEM_READ, target=item, request=request)
    return render_item_page(request, item)


def render_item_page(
    request: HttpRequest, item: Item, *, status: int = 200, **forms_given: Any
) -> HttpResponse:
    """The item page; an action whose form failed passes its bound form (or a part's
    context built around it) to show the errors next to the fields, with `status` 422."""
    context = item_selectors.item_page(request.user, item)
    context.update(
        {
            "measure_form": forms.MeasureForm(user=request.user, auto_id="measure-%s"),
            "note_form": forms.MeasureNoteForm(auto_id=False),
            "status_form": forms.MeasureStatusForm(auto_id=False),
            "evidence_form": forms.EvidenceForm(auto_id="evidence-%s"),
            "review_form": forms.EvidenceReviewForm(auto_id=False),
        }
    )
    context.update(forms_given)
    return render(request, "remediation/item_detail.html", context, status=status)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    if not can_manage_item(request.user, item):
        raise PermissionDenied
    subjects = list(item.subjects.all())
    initial = {name: getattr(item, name) for name in ITEM_FORM_FIELDS}
    initial["subjects"] = forms.ItemForm.subjects_text(subjects)
    form = _item_form(request, item.plan, fixed_origin=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.item_update(
                item=item,
                actor=request.user,
                subjects=data["subjects"],
                request=request,
                **{name: data[name] for name in ITEM_FORM_FIELDS},
            )
        except RemediationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("remediation:item_detail", pk=item.pk)
    return render(
        request, "remediation/item_form.html", {"form": form, "plan": item.plan, "item": item}
    )


# --- 生成整改问题 --------------------------------------------------------------------------


def _missing_plan(request: HttpRequest, *, unit: Any, code: str, back: str) -> HttpResponse:
    can_create = unit is not None and can_manage_plans_of(request.user, unit)
    create_url = ""
    if can_create:
        create_url = f"{reverse('remediation:plan_create')}?unit={unit.pk}&problem={code}"
    return render(
        request,
        "remediation/generate_missing.html",
        {"unit": unit, "code": code, "create_url": create_url, "back": back},
        status=409,
    )


@login_required
def item_from_lead(request: HttpRequest, lead_pk: int) -> HttpResponse:
    """The item form for a lead's problem, on the plan of the lead's unit for its category.
    Nothing of the lead's content is copied: the office writes the description."""
    lead = get_lead_for_user(request.user, lead_pk)
    if not can_generate_from_lead(request.user, lead):
        raise PermissionDenied
    unit = lead_unit(lead)
    back = reverse("leads:detail", args=[lead.pk])
    campaign = plan_selectors.current_campaign()
    plan = None
    if campaign is not None:
        plan = plan_selectors.plan_for_source(campaign=campaign, unit=unit, code=lead.category)
    if plan is None or not can_manage_plans_of(request.user, plan.unit):
        return _missing_plan(request, unit=unit, code=lead.category, back=back)
    initial = {"deadline": plan.end_date, "responsible_unit": unit}
    form = _item_form(request, plan, fixed_origin=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = _create_from(request, plan, form, origin=ItemOrigin.LEAD, source_lead=lead)
        if item is not None:
            return _after_create(request, item, back)
    return _render_form(request, form, plan, source_label=_("问题线索 %(n)s") % {"n": lead.number})


@login_required
def item_from_report(request: HttpRequest, report_pk: int, key: str) -> HttpResponse:
    """The item form for one problem an officer declared in their self-check."""
    report = get_selfcheck_for_user(request.user, report_pk)
    if not can_generate_from_report(request.user, report):
        raise PermissionDenied
    answer = item_selectors.declared_answer(report, key)
    if answer is None:
        raise Http404
    unit = report.officer.unit
    back = reverse("selfcheck:report_detail", args=[report.pk])
    plan = plan_selectors.plan_for_source(campaign=report.campaign, unit=unit, code=key)
    if plan is None:
        return _missing_plan(request, unit=unit, code=key, back=back)
    initial = {
        "deadline": plan.end_date,
        "responsible_unit": unit,
        "subjects": report.officer.number,
    }
    form = _item_form(request, plan, fixed_origin=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = _create_from(
            request,
            plan,
            form,
            origin=ItemOrigin.SELFCHECK,
            source_report=report,
            source_item_key=key,
        )
        if item is not None:
            return _after_create(request, item, back)
    label = _("%(name)s 的自查申报：%(item)s") % {"name": report.officer.name, "item": answer.label}
    return _render_form(request, form, plan, source_label=label)
