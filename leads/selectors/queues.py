"""Work queues: the intake queue, leads awaiting the user's signature, the user's own leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rectify import access
from rectify.models import Role

from ..access import LEAD_OFFICE_ROLES, leads_visible_to
from ..models import (
    UNSCREENED,
    Signature,
    SignatureRole,
)
from .deadlines import S
from .ledger import with_list_relations

if TYPE_CHECKING:
    from rectify.models import AnyUser


def intake_queue(user: AnyUser) -> QuerySet:
    """Unregistered and unscreened leads of the user's offices, oldest first."""
    return with_list_relations(
        leads_visible_to(user).filter(
            access.unit_q(user, LEAD_OFFICE_ROLES, prefix="office__jurisdiction__"),
            status__in=UNSCREENED,
        )
    )


# How offices count (L5). A merged lead is counted once, with its main lead; an online report
# is 待受理 until registered and not yet 受理; 办结 is every disposition: concluded (including
# a transfer whose feedback came back, which concludes it), crossed off, or 予以了结.


def awaiting_signature(user: AnyUser) -> QuerySet:
    """Leads in SIGNING where the user still has a part to sign (as handler or unit head)."""
    leads = leads_visible_to(user).filter(status=S.SIGNING)
    live = Signature.objects.filter(voided_at__isnull=True)
    handler_signed = live.filter(role=SignatureRole.HANDLER).values("lead_id")
    head_signed = live.filter(role=SignatureRole.UNIT_HEAD).values("lead_id")
    as_handler = Q(handler__user_id=user.pk) & ~Q(pk__in=handler_signed)
    as_head = (
        access.unit_q(user, [Role.UNIT_HEAD], prefix="handling_unit__")
        & ~Q(handler__user_id=user.pk)
        & ~Q(pk__in=head_signed)
    )
    return leads.filter(as_handler | as_head)


def my_leads(user: AnyUser) -> QuerySet:
    return leads_visible_to(user).filter(handler__user_id=user.pk)
