"""The self-check app in the audit trail: its action codes (`selfcheck.<model>.<verb>`,
constants so they can be grepped), the one helper that audits reads and exports, and the
audit log page's entry for reports (registered from AppConfig.ready: rectify imports no
app)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from rectify.audit import audit_read  # noqa: F401  (the app's views call it from here)
from rectify.audit_display import OBJECT_KINDS, ObjectKind

from .access import selfchecks_visible_to
from .models import SelfCheckReport

REPORT_DRAFT_SAVED = "selfcheck.report.draft_saved"
REPORT_SUBMITTED = "selfcheck.report.submitted"
REPORT_ACCEPTED = "selfcheck.report.accepted"
REPORT_RETURNED = "selfcheck.report.returned"
REPORT_REMINDED = "selfcheck.report.reminded"
REPORT_READ = "selfcheck.report.read"
REPORT_PRINT_READ = "selfcheck.print.read"  # kept as first recorded: the trail is append-only
REPORT_DIFF_READ = "selfcheck.diff.read"
REPORT_EXPORTED = "selfcheck.report.exported"
QUEUE_READ = "selfcheck.queue.read"
FIGURES_EXPORTED = "selfcheck.figures.exported"
QUESTION_ASKED = "selfcheck.question.asked"
QUESTION_ANSWERED = "selfcheck.question.answered"
ITEM_CREATED = "selfcheck.item.created"
ITEM_CHANGED = "selfcheck.item.changed"
TALK_RECORDED = "selfcheck.talk.recorded"
TALK_CORRECTED = "selfcheck.talk.corrected"
CASE_CREATED = "selfcheck.case.created"
CASE_APPROVED = "selfcheck.case.approved"
CASE_REJECTED = "selfcheck.case.rejected"
CASE_READ_CONFIRMED = "selfcheck.case.read_confirmed"


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
