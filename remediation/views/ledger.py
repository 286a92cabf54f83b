"""The problem ledger (问题台账) and "my items" (我的整改)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from rectify.access import has_role, role_required
from rectify.pagination import keyset_page

from ..access import ITEM_MANAGER_ROLES, ITEM_READER_ROLES
from ..audit import ITEM_LIST_READ, audit_read
from ..forms import LedgerFilterForm
from ..selectors import counters as counter_selectors
from ..selectors import ledger as ledger_selectors
from ..selectors import plans as plan_selectors

PAGE_SIZE = 50


@role_required(*ITEM_READER_ROLES)
def ledger(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = plan_selectors.reader_units(user)
    campaign = plan_selectors.current_campaign()
    problems = plan_selectors.problem_choices(campaign, [u.path for u in units[:1]])
    form = LedgerFilterForm(request.GET or None, units=units, problems=problems)
    filters = ledger_selectors.LedgerFilters(**form.filters())
    qs = ledger_selectors.ledger_items(user, filters)
    page = keyset_page(
        ledger_selectors.ledger_page_rows(qs),
        ordering=ledger_selectors.LEDGER_ORDERING,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    figures = None
    if ledger_selectors.only_unit(filters):
        figures = counter_selectors.counter_figures(
            user,
            campaign=campaign,
            root=filters.unit,
            units=units,
            only_campaign=plan_selectors.only_campaign(campaign),
        )
    if figures is None:
        figures = ledger_selectors.ledger_figures(qs, root=filters.unit, units=units)
    audit_read(
        actor=user,
        action=ITEM_LIST_READ,
        object_type="remediation.item",
        data={"ids": [i.pk for i in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "remediation/ledger.html",
        {
            "page": page,
            "form": form,
            "figures": figures,
            "today": timezone.localdate(),
            "can_import": has_role(user, *ITEM_MANAGER_ROLES),
        },
    )


@login_required
def my_items(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = keyset_page(
        ledger_selectors.ledger_page_rows(ledger_selectors.my_items(user)),
        ordering=("deadline", "id"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    measures = list(ledger_selectors.my_measures(user)[:100])
    audit_read(
        actor=user,
        action=ITEM_LIST_READ,
        object_type="remediation.item",
        data={"ids": [i.pk for i in page.items], "mine": True},
        request=request,
    )
    return render(
        request,
        "remediation/my_items.html",
        {"page": page, "measures": measures, "today": timezone.localdate()},
    )
