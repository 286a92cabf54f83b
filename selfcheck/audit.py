"""How the self-check app appears in the audit trail: the audit log page's entry for
reports (registered from AppConfig.ready, since rectify imports no app)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from rectify.audit_display import OBJECT_KINDS, ObjectKind

from .access import selfchecks_visible_to
from .models import SelfCheckReport


def _report_label(report: SelfCheckReport) -> str:
    return str(_("%(name)s（%(number)s）的自查报告")) % {
        "name": report.officer.name,
        "number": report.officer.number,
    }


def register_object_kinds() -> None:
    """Name and link self-check reports on the audit log page; a link only where the
    viewer may open the report (`selfchecks_visible_to`)."""
    OBJECT_KINDS["selfcheck.selfcheckreport"] = ObjectKind(
        label=_report_label,
        related=("officer",),
        url=lambda o: reverse("selfcheck:report_detail", args=[o.pk]),
        visible=selfchecks_visible_to,
    )
