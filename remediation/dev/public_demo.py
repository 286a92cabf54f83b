"""Demo public commitments (O4) and 我为群众办实事 (O5) of 开发区, one matter done with its
evidence; called by remediation.dev.demo once 开发区's items exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rectify.models import Campaign, Officer, Unit

from ..services import public
from .files import demo_file


def seed_public(
    *,
    campaign: Campaign,
    today: dt.date,
    actor: Any,
    people: dict[int, list[Officer]],
    units: dict[str, Unit],
) -> None:
    """开发区's public commitments (O4) and 我为群众办实事 (O5), one of them done."""
    for code, title, text in (
        ("QHD-KFQ-GA", "群众报案“接报即受理”", "接到群众报案当场受理，三日内告知立案情况。"),
        ("QHD-KFQ-FY", "立案“一次办好”", "当场立案、网上立案，做到有案必立、有诉必理。"),
    ):
        unit = units.get(code)
        if unit is None:
            continue
        public.commitment_create(
            unit=unit,
            title=title,
            text=text,
            due_date=campaign.rectify_end,
            is_published=True,
            actor=actor,
        )
    bureau = units.get("QHD-KFQ-GA")
    staff = people.get(bureau.pk, []) if bureau else []
    if not staff:
        return
    for i, (title, promise) in enumerate(
        (
            ("户籍业务“周末不打烊”", "每周六上午开放户籍窗口"),
            ("交通违法处理“掌上办”", "开通线上处理渠道，减少群众跑腿"),
            ("社区民警“进百家门”", "走访辖区群众，收集意见建议"),
        )
    ):
        matter = public.matter_create(
            unit=bureau,
            title=title,
            commitment=promise,
            owner=staff[(i + 2) % len(staff)],
            deadline=today + dt.timedelta(days=10 * i - 5),
            is_public=i != 2,
            actor=actor,
        )
        if i == 0:
            public.matter_complete(
                matter=matter,
                note="已连续开放八个周六，办理业务二百余件",
                upload=demo_file("matter-weekend-hukou", pdf=True),
                actor=actor,
            )
