"""Configuration of the N items (office)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rectify import access
from rectify.models import Role
from rectify.params import id_param

from .. import access as rules
from .. import selectors, services
from ..forms import (
    ItemConfigForm,
)
from .common import current_campaign


@access.role_required(Role.OFFICE)
def items_config(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    units = rules.units_to_choose(request.user, [Role.OFFICE], 500)
    form = ItemConfigForm(request.POST or None, units=units)
    if request.method == "POST":
        toggle = id_param(request.POST, "toggle")
        if toggle:
            item = rules.get_item_config_for_user(request.user, toggle)
            services.item_config_update(item=item, actor=request.user, is_active=not item.is_active)
            return redirect("selfcheck:items")
        if form.is_valid():
            unit = access.get_unit_for_user(request.user, form.cleaned_data["unit"])
            services.item_config_create(
                campaign=campaign,
                unit=unit,
                text=form.cleaned_data["text"],
                help_text=form.cleaned_data["help_text"],
                kind=form.cleaned_data["kind"],
                order=form.cleaned_data["order"],
                actor=request.user,
            )
            messages.success(request, _("已添加“N”项自查事项"))
            return redirect("selfcheck:items")
    items = selectors.item_configs_listed(
        items=rules.selfcheck_item_configs_visible_to(request.user), campaign=campaign
    )
    return render(request, "selfcheck/items.html", {"form": form, "items": items})
