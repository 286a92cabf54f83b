"""Remediation's pages in `bench pages` (#14): the problem ledger (问题台账) of the root
office and of a district office, first, deep and filtered pages, and 我的整改 of the cast
officer (responsible person and measure owner of some of their unit's items), each beside
Django admin's changelist of the same items."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse

from rectify.benchpages import Scenario, admin_page, deep_cursor

from ..models import Item, ItemStatus
from ..selectors.ledger import LEDGER_ORDERING

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite

    from rectify.province import Province

ADMIN = "/bench-admin/remediation/item/"


class ItemAdmin(admin.ModelAdmin):
    list_display = ("number", "unit", "status", "kind", "deadline", "responsible_person")
    list_filter = ("status", "kind", "origin")
    search_fields = ("number", "description")


def register_admin(site: AdminSite) -> None:
    if not site.is_registered(Item):
        site.register(Item, ItemAdmin)


def scenarios(p: Province) -> list[Scenario]:
    url = reverse("remediation:ledger")
    scope = Item.objects.filter(unit__path__startswith=p.root.path)
    district = Item.objects.filter(unit__path__startswith=p.district.path)
    rows = scope.count()
    after = deep_cursor(scope, LEDGER_ORDERING)
    d_after = deep_cursor(district, LEDGER_ORDERING)
    deep = admin_page(rows)
    status = ItemStatus.IN_PROGRESS
    return [
        Scenario(
            "remediation.ledger.office.first",
            "问题台账 第一页（省整顿办）",
            "office",
            url,
            admin_path=ADMIN,
        ),
        Scenario(
            "remediation.ledger.office.deep",
            "问题台账 第21页（省整顿办）",
            "office",
            f"{url}?{urlencode({'after': after})}",
            admin_path=f"{ADMIN}?p={deep}",
            deep_of="remediation.ledger.office.first",
        ),
        Scenario(
            "remediation.ledger.office.status",
            "问题台账 整改中筛选（省整顿办）",
            "office",
            f"{url}?{urlencode({'status': status})}",
            admin_path=f"{ADMIN}?status__exact={status}",
        ),
        Scenario(
            "remediation.ledger.office.overdue",
            "问题台账 仅逾期（省整顿办）",
            "office",
            f"{url}?overdue=on",
            admin_path=f"{ADMIN}?status__exact={ItemStatus.OPEN}",
        ),
        Scenario(
            "remediation.ledger.d_office.first",
            "问题台账 第一页（区整顿办）",
            "d_office",
            url,
            admin_path=ADMIN,
        ),
        Scenario(
            "remediation.ledger.d_office.deep",
            "问题台账 深页（区整顿办）",
            "d_office",
            f"{url}?{urlencode({'after': d_after})}",
            admin_path=f"{ADMIN}?p={admin_page(district.count())}",
            deep_of="remediation.ledger.d_office.first",
        ),
        Scenario(
            "remediation.mine.officer",
            "我的整改（干警）",
            "officer",
            reverse("remediation:my_items"),
            admin_path=f"{ADMIN}?status__exact={ItemStatus.IN_PROGRESS}",
        ),
    ]
