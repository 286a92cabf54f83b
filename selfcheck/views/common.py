"""Helpers shared by the self-check views."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from rectify.models import Campaign
from rectify.params import id_param


def current_campaign() -> Campaign:
    campaign = Campaign.current()
    if campaign is None:
        raise Http404(_("当前没有进行中的教育整顿活动"))
    return campaign


def unit_param(request: HttpRequest) -> int | None:
    """The `unit` query parameter as an id; garbage ('²' passes isdigit) is ignored."""
    return id_param(request.GET, "unit")
