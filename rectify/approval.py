"""Publication after approval, shared by every app that publishes something only once a
leader has said yes: self-check's warning-education cases (S2) and remediation's typical
cases (O6, 对查处典型案例的宣传必须按要求报批).

draft → pending (submitted for approval) → published | rejected; a rejected one may be
submitted again. The states, the decision fields (`ApprovalMixin`) and the two moves
(`approval_submit`, `approval_decide`) live here once; each app passes in who may decide
and its own audit codes, and maps `ApprovalError` onto its own error type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_record
from .models import AuditVerb

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import AnyUser


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    PENDING = "pending", gettext_lazy("待领导审批")
    PUBLISHED = "published", gettext_lazy("已发布")
    REJECTED = "rejected", gettext_lazy("未批准")


DECISION_NOTE_MAX = 300


class ApprovalMixin(models.Model):
    """The status and the decision of something published only after approval. The field
    definitions are exactly those WarningCase had, so it needed no migration."""

    status = models.CharField(
        max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=DECISION_NOTE_MAX, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ApprovalStatus.PUBLISHED


class ApprovalError(Exception):
    """A refused move; `str(exc)` is a message fit for the user."""


NOT_PENDING = gettext_lazy("只有待审批的内容可以审批")
NOT_SUBMITTABLE = gettext_lazy("只有草稿或未批准的内容可以提交审批")
NOT_ALLOWED = gettext_lazy("您无权审批此内容")
NOTE_TOO_LONG = gettext_lazy("“%(field)s”最多%(max)s字，现为%(n)s字，请删减")

SUBMITTABLE = (ApprovalStatus.DRAFT, ApprovalStatus.REJECTED)

_M = TypeVar("_M", bound=ApprovalMixin)


def _locked(obj: _M) -> _M:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


@transaction.atomic
def approval_submit(
    *, obj: _M, actor: AnyUser | None, action: str, request: HttpRequest | None = None
) -> _M:
    """Send a draft (or a rejected one, revised) to the approval queue."""
    locked = _locked(obj)
    if locked.status not in SUBMITTABLE:
        raise ApprovalError(str(NOT_SUBMITTABLE))
    locked.status = ApprovalStatus.PENDING
    locked.full_clean()
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=action,
        verb=AuditVerb.CHANGE,
        target=locked,
        data={"to": ApprovalStatus.PENDING},
        request=request,
    )
    return locked


@transaction.atomic
def approval_decide(
    *,
    obj: _M,
    approve: bool,
    actor: AnyUser | None,
    note: str = "",
    may_decide: Callable[[Any, _M], bool] | None,
    approved_action: str,
    rejected_action: str,
    not_pending: Any = NOT_PENDING,
    request: HttpRequest | None = None,
) -> _M:
    """A leader approves (published) or rejects a pending one, with an optional note.

    `may_decide(actor, obj)` is the app's rule of who may approve (None: the caller has
    checked it already — self-check's view does, and its demo seeds through the service)."""
    locked = _locked(obj)
    if locked.status != ApprovalStatus.PENDING:
        raise ApprovalError(str(not_pending))
    if may_decide is not None and not may_decide(actor, locked):
        raise ApprovalError(str(NOT_ALLOWED))
    note = (note or "").strip()
    if len(note) > DECISION_NOTE_MAX:
        raise ApprovalError(
            str(NOTE_TOO_LONG % {"field": _("审批意见"), "max": DECISION_NOTE_MAX, "n": len(note)})
        )
    locked.status = ApprovalStatus.PUBLISHED if approve else ApprovalStatus.REJECTED
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action=approved_action if approve else rejected_action,
        verb=AuditVerb.CHANGE,
        target=locked,
        request=request,
    )
    return locked
