"""Navigation and home-page panels. Each app has `<app>/ui.py` with `nav_items(user)` and
`home_panels(user)`; the rectify context processor and home view collect them, so an app
adds its pages without touching shared templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import has_role
from .models import Role

if TYPE_CHECKING:
    import datetime as dt

    from rectify.models import AnyUser

APPS_WITH_UI = ("rectify", "selfcheck", "leads", "remediation", "leadership")


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 100


@dataclass
class PanelLine:
    label: str
    value: object = ""
    url: str = ""
    tone: str = ""  # "", "ok", "warn", "danger"


@dataclass
class Panel:
    title: str
    lines: list[PanelLine] = field(default_factory=list)
    order: int = 100
    note: str = ""


@dataclass
class PageSection:
    """A section a higher app adds to a lower app's page (the items generated from a lead
    on the lead's page): a template included there with `section` as its context. The
    lower app keeps a list of callables `(user, obj) -> PageSection | None` that the
    higher app fills from its AppConfig.ready(), so the lower app imports nothing of it."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


SectionProvider = Callable[[Any, Any], "PageSection | None"]


@dataclass
class TimelineEntry:
    """An entry a higher app puts on a lower app's timeline (a supervision order and its
    replies on a lead's), drawn like the page's own events; `url` links to its own page."""

    at: dt.datetime
    label: str
    text: str
    actor: Any = None
    url: str = ""
    kind: str = "external"
    data: dict = field(default_factory=dict)
    participants: str = ""

    def get_kind_display(self) -> str:
        return self.label


def collect_sections(providers: list[SectionProvider], user: AnyUser, obj: object) -> list:
    sections = [s for s in (provider(user, obj) for provider in providers) if s is not None]
    return sorted(sections, key=lambda s: s.order)


def _collect(attr: str, user: AnyUser) -> list:
    items: list = []
    for app in APPS_WITH_UI:
        try:
            module = import_module(f"{app}.ui")
        except ModuleNotFoundError:
            continue
        func = getattr(module, attr, None)
        if func is not None:
            items.extend(func(user))
    return sorted(items, key=lambda i: i.order)


def collect_nav(user: AnyUser) -> list[NavItem]:
    return _collect("nav_items", user)


def collect_panels(user: AnyUser) -> list[Panel]:
    return _collect("home_panels", user)


# --- this app's own entries --------------------------------------------------------


def nav_items(user: AnyUser) -> list[NavItem]:
    items = [NavItem(_("首页"), reverse("home"), order=0)]
    if has_role(user, Role.ADMIN, Role.LEADER, Role.OFFICE, Role.UNIT_HEAD):
        items.append(NavItem(_("单位"), reverse("rectify:unit_tree"), order=80))
    if has_role(user, Role.ADMIN):
        items.append(NavItem(_("干警"), reverse("rectify:officer_list"), order=81))
        items.append(NavItem(_("组织导入"), reverse("rectify:org_import"), order=82))
        items.append(NavItem(_("审计日志"), reverse("rectify:audit_list"), order=90))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    panels = []
    if has_role(user, Role.ADMIN):
        panels.append(
            Panel(
                _("系统管理"),
                [
                    PanelLine(_("单位树"), url=reverse("rectify:unit_tree")),
                    PanelLine(_("导入组织架构（Excel）"), url=reverse("rectify:org_import")),
                    PanelLine(_("审计日志"), url=reverse("rectify:audit_list")),
                    PanelLine(_("账号与角色（管理后台）"), url=reverse("admin:index")),
                ],
                order=900,
            )
        )
    return panels
