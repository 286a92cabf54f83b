"""Configuration of the "N" items a unit adds to the form."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Unit

from .. import audit
from ..models import (
    ItemConfig,
)


@transaction.atomic
def item_config_create(
    *,
    campaign: Campaign,
    unit: Unit,
    text: str,
    help_text: str,
    kind: str,
    order: int,
    actor: AbstractBaseUser | None,
) -> ItemConfig:
    cfg = ItemConfig(
        campaign=campaign,
        unit=unit,
        text=text,
        help_text=help_text,
        kind=kind,
        order=order,
        created_by=actor,
    )
    cfg.full_clean()
    cfg.save()
    audit_record(actor=actor, action=audit.ITEM_CREATED, verb=AuditVerb.CREATE, target=cfg)
    return cfg


@transaction.atomic
def item_config_update(
    *, item: ItemConfig, actor: AbstractBaseUser | None, **changes: object
) -> ItemConfig:
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=audit.ITEM_CHANGED,
        verb=AuditVerb.CHANGE,
        target=item,
        data={k: str(v) for k, v in changes.items()},
    )
    return item
