"""Writes of the campaign's leadership settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from rectify.audit import audit_record
from rectify.models import AuditVerb

from ..models.policy import POLICY_FIELDS

if TYPE_CHECKING:
    from rectify.models import AnyUser

    from ..models import CampaignPolicy


@transaction.atomic
def policy_save(*, policy: CampaignPolicy, actor: AnyUser) -> CampaignPolicy:
    """Store the thresholds and report period (validated; audited with the new values)."""
    created = policy.pk is None
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="leadership.policy.created" if created else "leadership.policy.changed",
        verb=AuditVerb.CREATE if created else AuditVerb.CHANGE,
        target=policy,
        data={f: getattr(policy, f) for f in POLICY_FIELDS},
    )
    return policy
