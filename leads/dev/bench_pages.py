"""The leads' pages in `bench pages` (#14): the ledger (first page, a deep page, filtered) for
the province office, the leader and a district office, the leader's oversight board, and the
duplicate check the registration form calls while the summary is typed (leads:similar).
Export and import jobs live in leads.dev.bench_jobs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite

    from rectify.benchpages import Scenario
    from rectify.province import Province

ORDERING = ("-received_date", "-id")
ADMIN = "/bench-admin/leads/lead/"
# The filtered ledger: open leads of one category whose summary has a word.
FILTER = {"status": "open", "category": "inaction", "q": "压案"}
ADMIN_FILTER = {"status__exact": "handling", "category__exact": "inaction", "q": "压案"}


def register_admin(site: AdminSite) -> None:
    from django.contrib import admin

    from ..models import Lead

    class LeadAdmin(admin.ModelAdmin):
        # The ledger's columns.
        list_display = (
            "number",
            "received_date",
            "office",
            "channel",
            "category",
            "status",
            "handling_unit",
            "handler",
            "deadline",
        )
        list_filter = ("status", "category")
        search_fields = ("summary", "number")

    if not site.is_registered(Lead):
        site.register(Lead, LeadAdmin)


def _ledger(p: Province, key: str, who: str) -> list[Scenario]:
    from django.urls import reverse

    from rectify.benchpages import Scenario, admin_page, deep_cursor

    from ..access import leads_visible_to

    url = reverse("leads:ledger")
    visible = leads_visible_to(p.user(key))
    after = deep_cursor(visible, ORDERING)
    deep = admin_page(visible.count(), pages=20)
    first = f"leads.ledger.{key}.first"
    return [
        Scenario(first, f"线索台账 第一页（{who}）", key, url, admin_path=ADMIN),
        Scenario(
            f"leads.ledger.{key}.deep",
            f"线索台账 第21页（{who}）",
            key,
            f"{url}?{urlencode({'after': after})}",
            admin_path=f"{ADMIN}?p={deep}",
            deep_of=first,
        ),
        Scenario(
            f"leads.ledger.{key}.filtered",
            f"线索台账 在办+类别+关键词（{who}）",
            key,
            f"{url}?{urlencode(FILTER)}",
            admin_path=f"{ADMIN}?{urlencode(ADMIN_FILTER)}",
        ),
    ]


def scenarios(p: Province) -> list[Scenario]:
    from django.urls import reverse

    from rectify.benchpages import Scenario

    from ..access import leads_visible_to
    from ..models import Lead, LeadSubject

    out = _ledger(p, "office", "省级办公室")
    out += _ledger(p, "leader", "省级领导")
    out += _ledger(p, "d_office", "区县办公室")
    out.append(
        Scenario(
            "leads.oversight.leader",
            "督办逾期看板（省级领导）",
            "leader",
            reverse("leads:oversight"),
            kind="list",
            admin_path=f"{ADMIN}?{urlencode({'status__exact': 'handling'})}",
        )
    )
    # The duplicate check: the registration form sends the summary typed so far (a lead of
    # the office's, reworded) and the subject officers picked.
    intake = p.user("intake")
    probe = (
        leads_visible_to(intake)
        .filter(status=Lead._meta.get_field("status").default)
        .order_by("-received_date", "-id")
        .values_list("pk", "summary")
        .first()
    ) or leads_visible_to(intake).order_by("-id").values_list("pk", "summary").first()
    data: dict[str, str | list[str]] = {"summary": ""}
    if probe:
        data["summary"] = probe[1].replace("反映", "").replace("干警", "民警") + "要求严查"
        officers = LeadSubject.objects.filter(lead_id=probe[0], officer__isnull=False)
        data["officers"] = [str(i) for i in officers.values_list("officer_id", flat=True)]
    out.append(
        Scenario(
            "leads.similar.intake",
            "登记时重复线索提示（省级受理）",
            "intake",
            f"{reverse('leads:similar')}?{urlencode(data, doseq=True)}",
            kind="action",
            targets={"p95_ms": 300},
        )
    )
    return out
