"""Demo leads, called by `manage.py seed_demo` after the organisation and the self-check data.

Idempotent (nothing is added once the 开发区 office has leads) and deterministic (every choice
comes from the `rng` passed in; dates are relative to today like the campaign's). Everything
goes through the services, so demo leads have numbers, timelines, signatures and audit events.

What the demo accounts see: `intake` an unregistered online report and an overdue unscreened
lead; `office` the ledger and triage; `handler` leads in handling (one overdue) and an unfounded
conclusion already signed by them; `unithead` that lead awaiting their signature; `leader` the
closure rate of the city.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from rectify.models import Campaign, Office, Officer

from .. import services
from ..models import Channel, DispositionForm, Lead, LeadCategory, LeadConclusion, SignatureRole
from ..rules import conflicts
from ..services import attachments

SUMMARIES = [
    ("interference", "反映{n}多次打电话为当事人说情，干预案件办理"),
    ("business", "反映{n}的配偶在辖区经营娱乐场所，{n}利用职务提供便利"),
    ("lending", "反映{n}向辖区企业主放贷收取高息"),
    ("inaction", "反映{n}对群众报案推诿不立案，压案不查"),
    ("umbrella", "反映{n}为当地涉恶团伙通风报信，充当“保护伞”"),
    ("judicial_corruption", "反映{n}在办理案件中收受当事人财物，徇私枉法"),
    ("two_faced", "反映{n}拉帮结派、搞小圈子，表里不一"),
    ("unrestrained", "反映{n}十八大以来仍多次接受宴请、收受购物卡"),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def seed_demo_data(*, campaign: Campaign, rng: random.Random) -> None:
    office = Office.objects.filter(short_name="开发区").select_related("jurisdiction").first()
    intake, staff, head = _user("intake"), _user("office"), _user("unithead")
    handler_user = _user("handler")
    handler = getattr(handler_user, "officer", None)
    if None in (office, intake, staff, head, handler):
        return
    if Lead.objects.filter(office=office).exists():
        return  # already seeded
    today = timezone.localdate()
    bureau = handler.unit
    channels = {c.code: c for c in Channel.objects.all()}
    demo_users = {intake.pk, staff.pk, head.pk, handler_user.pk}
    # Subjects outside the handler's own organ: the demo assigns them without conflicts.
    handler_organ = conflicts.organs_of([bureau])[0][bureau.path]
    candidates = list(
        Officer.objects.filter(unit__path__startswith=office.jurisdiction.path, is_active=True)
        .exclude(user_id__in=demo_users)
        .exclude(unit__path__startswith=handler_organ)
        .order_by("number")[:200]
    )
    rng.shuffle(candidates)
    subjects = iter(candidates)

    def register(days_ago: int, category: str, channel: str, **kw):
        officer = next(subjects)
        template = dict(SUMMARIES).get(category, "反映{n}存在违规问题")
        return services.lead_register(
            office=office,
            actor=intake,
            received_date=today - dt.timedelta(days=days_ago),
            channel=channels[channel],
            category=category,
            summary=template.format(n=officer.name),
            subjects=[services.SubjectInput(name=officer.name, officer=officer)],
            subject_unit=officer.unit,
            **kw,
        )

    def assign(lead: Lead, deadline_days: int) -> Lead:
        return services.lead_assign(
            lead=lead,
            actor=staff,
            unit=bureau,
            handler=handler,
            deadline=today + dt.timedelta(days=deadline_days),
            route="verification",
            reason="指向具体，交承办单位核查",
            past_deadline_confirmed=True,  # the demo shows an overdue lead
        )

    # intake: an online report waiting to be registered, an overdue unscreened lead, a fresh one
    services.public_report_submit(
        office=office,
        category=LeadCategory.INTERFERENCE,
        summary="开发区某派出所民警在处理我家纠纷时收了对方好处，偏袒对方",
        subject_text="某派出所民警",
    )
    register(12, "lending", "mailbox")
    register(
        1,
        "two_faced",
        "individual_talk",
        reporter_anonymous=False,
        reporter_name="匿名群众甲",
        reporter_contact="0335-0000000",
    )

    # handler: in handling (with a consultation), and an overdue one
    lead = assign(register(20, "umbrella", "organised_crime_review"), 25)
    services.lead_add_event(
        lead=lead, actor=handler_user, kind="verification", text="调取相关案件卷宗，询问证人二人"
    )
    services.lead_add_event(
        lead=lead,
        actor=staff,
        kind="consultation",
        text="会商认为需进一步核实资金往来",
        participants="办公室、纪检监察室",
        conclusion="由承办人调取银行流水，十日内报核查情况",
    )
    # L6 listed supervision by the leader, L11 a risk note and a file on the same lead
    leader = getattr(_user("leader"), "officer", None)
    if leader is not None and leader.is_leading_cadre:
        services.lead_list_supervision(
            lead=lead,
            actor=staff,
            supervisor=leader,
            deadline=today + dt.timedelta(days=15),
            note="涉黑涉恶“保护伞”线索，挂牌督办",
        )
    services.risk_note_add(
        actor=handler_user,
        lead=lead,
        level="high",
        text="被反映人在当地关系复杂，可能干扰证人",
        measures="核查期间对证人信息严格保密，必要时提级办理",
    )
    attachments.attachment_add(
        lead=lead,
        actor=intake,
        upload=SimpleUploadedFile(
            "举报材料摘录.txt",
            "2026年9月，某娱乐场所被举报后未被查处，疑有人通风报信。\n".encode(),
        ),
    )
    overdue = assign(register(45, "inaction", "petition_review"), -5)
    # L10: the overdue lead climbs the chain; accountability for the delay
    services.accountability_add(
        lead=overdue,
        actor=staff,
        officer=handler,
        unit=bureau,
        measure="talk",
        reason="线索超过办理期限未办结，未说明理由",
    )
    services.risk_note_add(
        actor=staff,
        officer=next(subjects),
        level="medium",
        text="多次被反映与辖区企业老板往来密切，需关注",
        measures="安排谈心谈话，提醒其如实申报",
    )

    # unit head: an unfounded conclusion the handler has signed, awaiting the head's signature
    lead = assign(register(30, "interference", "hotline"), 10)
    services.lead_conclude(
        lead=lead,
        actor=handler_user,
        conclusion=LeadConclusion.UNFOUNDED,
        result="经调取通话记录、询问当事人，未发现过问干预案件的情况，反映问题查无实据，予以查否。",
    )
    services.lead_sign(lead=lead, actor=handler_user, role=SignatureRole.HANDLER)

    # concluded and crossed off; transferred; held; closed
    lead = assign(register(60, "business", "inspection"), 0)
    services.lead_conclude(
        lead=lead,
        actor=handler_user,
        conclusion=LeadConclusion.SUBSTANTIATED,
        result="经核查属实，责令其配偶退出经营，对本人诫勉谈话。",
        disposition_form=DispositionForm.FIRST,
        dealt_with="被反映人，诫勉谈话；其配偶退出所持股份",
    )
    services.lead_cross_off(lead=lead, actor=staff)
    services.lead_transfer(
        lead=register(15, "judicial_corruption", "key_case_review"),
        actor=staff,
        body="秦皇岛经济技术开发区纪工委监察工委",
        date=today - dt.timedelta(days=10),
        reason="问题线索指向明确、事实清晰",
    )
    services.lead_hold(
        lead=register(25, "unrestrained", "democratic_evaluation"),
        actor=staff,
        reason="反映内容笼统，暂存待查，待有新情况再行核查",
    )
    services.lead_close(
        lead=register(40, "other", "visit"),
        actor=staff,
        reason="所反映问题已由法院审判监督程序处理，予以了结",
    )
    services.escalate_flagged()  # what the nightly task would have recorded by now
