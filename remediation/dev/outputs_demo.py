"""Demo rules, rotations and meeting records (R7, R8, O3) for the demo province: through
the same services the pages use, so the seed obeys the same rules. Idempotent: nothing is
added when the office already has rules."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leads.access import leads_visible_to
from rectify.models import Campaign, Officer

from ..access import items_visible_to
from ..models import MeetingKind, Rotation, RotationKind, Rule
from ..selectors.surveys import policy_for
from ..services.meetings import meeting_save
from ..services.rotations import rotation_create
from ..services.rules import rule_create, rule_issue

SENSITIVE_POSTS = "执行\n审批\n财务\n监管\n刑罚执行"


@transaction.atomic
def seed_outputs(*, campaign: Campaign, rng: random.Random) -> None:
    staff = get_user_model().objects.filter(username="office").first()
    if staff is None or Rule.objects.exists():
        return
    today = timezone.localdate()
    policy = policy_for(campaign)
    if not policy.sensitive_posts:
        policy.sensitive_posts = SENSITIVE_POSTS
        policy.save(update_fields=["sensitive_posts"])
    office_unit = staff.role_assignments.filter(role="office").select_related("unit").first()
    if office_unit is None:
        return
    root = office_unit.unit
    items = list(items_visible_to(staff).order_by("number")[:6])
    units = list(type(root).objects.filter(path__startswith=root.path).order_by("path")[:8])
    # R7: issued rules, one revision, a draft.
    first = rule_create(
        actor=staff,
        unit=root,
        title="领导干部干预司法活动、插手具体案件处理记录报告实施细则",
        issued_on=today - dt.timedelta(days=40),
        items=items[:2],
        issue=True,
    )
    revision = rule_create(
        actor=staff,
        unit=root,
        title="领导干部干预司法活动记录报告实施细则（修订）",
        issued_on=today - dt.timedelta(days=5),
        items=items[2:3],
        revises=first,
    )
    rule_issue(rule=revision, actor=staff)
    for unit in units[1:4]:
        rule_create(
            actor=staff,
            unit=unit,
            title=f"{unit.name}执法办案监督管理办法",
            issued_on=today - dt.timedelta(days=rng.randint(1, 30)),
            items=items[3:5],
            issue=rng.random() < 0.7,
        )
    # R8: officers on sensitive posts, some overdue, some unknown; rotations past and future.
    officers = list(
        Officer.objects.filter(
            unit__path__startswith=root.path, is_active=True, user__isnull=True
        ).order_by("number")[:12]
    )
    posts = ["执行员", "审批科科员", "财务科科员", "监管民警"]
    for i, officer in enumerate(officers[:8]):
        officer.position = posts[i % len(posts)]
        officer.post_since = None if i % 4 == 3 else today.replace(year=today.year - 3 - i)
        officer.save(update_fields=["position", "post_since"])
    for i, officer in enumerate(officers[8:12]):
        if Rotation.objects.filter(officer=officer).exists():
            continue
        target = units[(i + 2) % len(units)]
        rotation_create(
            actor=staff,
            officer=officer,
            to_unit=target,
            to_post=posts[i % len(posts)],
            effective_date=today + dt.timedelta(days=7)
            if i == 0
            else today - dt.timedelta(days=10 * i),
            reason="敏感岗位任职满五年，按规定交流轮岗",
            kind=[RotationKind.ROTATION, RotationKind.EXCHANGE, RotationKind.ADJUSTMENT][i % 3],
        )
    # O3: meetings of each mechanism, linked to leads and items the office sees.
    leads = list(leads_visible_to(staff).exclude(number=None).order_by("number")[:4])
    for i, (kind, label) in enumerate(MeetingKind.choices):
        meeting_save(
            actor=staff,
            unit=root,
            date=today - dt.timedelta(days=3 * i + 1),
            kind=kind,
            title=f"{root.name}{label}联席会议",
            decisions="一、明确责任分工；二、限期办结；三、结果报领导小组办公室。",
            other_participants="区纪委监委 联络员" if i % 2 == 0 else "",
            leads=leads[i : i + 1],
            items=items[i : i + 1],
        )
