"""Closure and escalation actions on an item (R5, R6): one URL per action, each a POST that
loads the item with get_item_for_user (404 when invisible), asks
access.ITEM_CLOSURE_ACTIONS, validates its form, calls one service and redirects back to
the item page's closure section. A refused form re-renders the item page with the errors
next to the fields (422); a refused action says why in Chinese (the accept refusal names every missing
condition)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms as dj_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import ITEM_CLOSURE_ACTIONS, get_item_for_user
from ..forms import closure as forms
from ..models import Item
from ..selectors.closure import closure_part, escalation_part
from ..services import closure as services
from ..services import escalation
from ..workflow import ItemWorkflowError, RemediationError
from .items import render_item_page

FORM_INVALID = _("填写有误，请按提示修改后重新提交")


def item_page_url(item: Item) -> str:
    """Where an action returns to: the item page's closure section."""
    return reverse("remediation:item_detail", args=[item.pk]) + "#closure"


def _load(request: HttpRequest, pk: int, action: str) -> Item:
    item = get_item_for_user(request.user, pk)
    if not ITEM_CLOSURE_ACTIONS[action](request.user, item):
        raise PermissionDenied
    return item


def _page(
    request: HttpRequest,
    item: Item,
    *,
    bound: dict | None = None,
    escalate_form: dj_forms.Form | None = None,
    refused: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The item page again, its closure and escalation parts rebuilt around the form
    that failed (the other parts as on a plain GET)."""
    ctx: dict = {"accept_refused": refused or []}
    ctx.update(closure_part(request.user, item, bound=bound))
    ctx.update(escalation_part(request.user, item, bound=escalate_form))
    return render_item_page(request, item, status=status, **ctx)


def _run(
    request: HttpRequest,
    item: Item,
    call: Callable[[], object],
    done: str,
    *,
    bound: dict | None = None,
    escalate_form: dj_forms.Form | None = None,
) -> HttpResponse:
    """Call the service; on refusal show its Chinese message on the page (422)."""
    try:
        call()
    except ItemWorkflowError as exc:
        messages.error(request, str(exc))
        return _page(request, item, bound=bound, refused=exc.reasons, status=422)
    except RemediationError as exc:
        messages.error(request, str(exc))
        return _page(request, item, bound=bound, escalate_form=escalate_form, status=422)
    messages.success(request, done)
    return redirect(item_page_url(item))


def _invalid(request: HttpRequest, item: Item, **kwargs: object) -> HttpResponse:
    messages.error(request, FORM_INVALID)
    return _page(request, item, status=422, **kwargs)  # type: ignore[arg-type]


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """整改完成，提请验收 (the unit)."""
    item = _load(request, pk, "submit")
    form = forms.SubmitForm(request.POST, auto_id="cl-submit-%s")
    if not form.is_valid():
        return _invalid(request, item, bound={"submit": form})
    return _run(
        request,
        item,
        lambda: services.item_submit_rectified(
            item=item, actor=request.user, note=form.cleaned_data["note"], request=request
        ),
        _("已提请验收"),
        bound={"submit": form},
    )


@login_required
@require_POST
def item_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """验收通过 (the supervising office), refused with each missing condition."""
    item = _load(request, pk, "accept")
    return _run(
        request,
        item,
        lambda: services.item_accept(item=item, actor=request.user, request=request),
        _("已验收通过"),
    )


@login_required
@require_POST
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回整改, with a reason (the supervising office)."""
    item = _load(request, pk, "return")
    form = forms.ReturnForm(request.POST, auto_id="cl-return-%s")
    if not form.is_valid():
        return _invalid(request, item, bound={"return": form})
    return _run(
        request,
        item,
        lambda: services.item_return(
            item=item, actor=request.user, reason=form.cleaned_data["reason"], request=request
        ),
        _("已退回整改"),
        bound={"return": form},
    )


@login_required
@require_POST
def item_accountability_add(request: HttpRequest, pk: int) -> HttpResponse:
    """登记问责记录 (the supervising office)."""
    item = _load(request, pk, "accountability")
    form = forms.AccountabilityForm(request.POST, auto_id="cl-acc-%s", user=request.user)
    if not form.is_valid():
        return _invalid(request, item, bound={"accountability": form})
    d = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.accountability_record(
            item=item,
            actor=request.user,
            officer=d["officer"],
            person_name=d["person_name"],
            level=d["level"],
            disposition=d["disposition"],
            detail=d["detail"],
            request=request,
        ),
        _("已登记问责记录"),
        bound={"accountability": form},
    )


@login_required
@require_POST
def item_no_one_to_blame(request: HttpRequest, pk: int) -> HttpResponse:
    """经查无责任人: a recorded finding with its reason (the supervising office)."""
    item = _load(request, pk, "no_one_to_blame")
    form = forms.NoOneToBlameForm(request.POST, auto_id="cl-none-%s")
    if not form.is_valid():
        return _invalid(request, item, bound={"no_one_to_blame": form})
    return _run(
        request,
        item,
        lambda: services.accountability_no_one_to_blame(
            item=item, actor=request.user, reason=form.cleaned_data["reason"], request=request
        ),
        _("已登记经查无责任人的认定"),
        bound={"no_one_to_blame": form},
    )


@login_required
@require_POST
def item_waive_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """免于群众验收 (a leader, with a reason)."""
    item = _load(request, pk, "waive_survey")
    form = forms.WaiveSurveyForm(request.POST, auto_id="cl-waive-%s")
    if not form.is_valid():
        return _invalid(request, item, bound={"waive_survey": form})
    return _run(
        request,
        item,
        lambda: services.item_waive_survey(
            item=item, actor=request.user, reason=form.cleaned_data["reason"], request=request
        ),
        _("已免于群众验收"),
        bound={"waive_survey": form},
    )


@login_required
@require_POST
def item_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """上报上级 (表现在基层、根子在上面)."""
    item = _load(request, pk, "escalate")
    form = forms.EscalateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, item, escalate_form=form)
    return _run(
        request,
        item,
        lambda: escalation.item_escalate(
            item=item, actor=request.user, reason=form.cleaned_data["reason"], request=request
        ),
        _("已上报上级单位"),
        escalate_form=form,
    )
