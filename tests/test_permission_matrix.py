"""Who reaches which page, and who sees which rows: roles × units × objects.

Each app adds its rows to PAGES. `user` names an attribute of the `org` fixture (an Officer's
account is reached through `.user`). Objects outside a user's scope answer 404, never 403.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectify.access import (
    audit_events_visible_to,
    forget_assignments,
    officers_visible_to,
    units_visible_to,
)
from tests.factories import OfficerFactory

USERS = [
    "officer_a",
    "reviewer",
    "intake",
    "office_staff",
    "handler",
    "unit_head",
    "chief",
    "outsider",
    "admin",
]


def _user(org, name):
    value = getattr(org, name)
    return getattr(value, "user", value)


def _lead_attachment(org) -> dict:
    """A lead of office_a in handling by org.handler (police_a), with one attachment."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from leads import services
    from leads.models import Channel
    from leads.services.attachments import attachment_add

    lead = services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=Channel.objects.get(code="hotline"),
        category="other",
        summary="权限矩阵用线索",
    )
    lead = services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        route="verification",
    )
    upload = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = attachment_add(lead=lead, actor=org.intake, upload=upload)
    return {"pk": lead.pk, "attachment_pk": attachment.pk}


def _talk(org) -> dict:
    """A talk with officer_a2 (station_a1, below police_a) recorded by the reviewer."""
    from django.utils import timezone

    from selfcheck import services
    from selfcheck.models import TalkTrigger

    services.talk_triggers_ensure()
    talk = services.talk_record(
        campaign=org.campaign,
        officer=org.officer_a2,
        talker=org.unit_head,
        talked_on=timezone.localdate(),
        trigger=TalkTrigger.objects.first(),
        points="p",
        actor=org.reviewer,
    )
    return {"pk": talk.pk}


def _remediation(org) -> dict:
    """A plan of police_a (with its document) and an item of station_a1 under it, the
    handler its responsible person, with a measure and a piece of evidence; made once per
    test by office_staff."""
    if hasattr(org, "remediation"):
        return org.remediation
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from remediation import services

    today = timezone.localdate()
    plan = services.plan_create(
        actor=org.office_staff,
        campaign=org.campaign,
        unit=org.police_a,
        problem="interference",
        title="权限矩阵用整治方案",
        goal="整治到位",
        start_date=today,
        end_date=today + dt.timedelta(days=30),
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    item = services.item_create(
        plan=plan,
        actor=org.office_staff,
        description="权限矩阵用整改问题",
        kind="frequent",
        origin="inspection",
        deadline=today + dt.timedelta(days=20),
        responsible_unit=org.station_a1,
        responsible_person=org.handler,
    )
    evidence = services.evidence_add(
        item=item,
        actor=org.office_staff,
        upload=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    measure = services.measure_add(
        item=item, actor=org.office_staff, text="建立过问案件登记制度", deadline=today
    )
    org.remediation = {
        "plan": plan.pk,
        "item": item.pk,
        "evidence": evidence.pk,
        "measure": measure.pk,
    }
    return org.remediation


# (url name, kwargs(org) -> dict, {user: expected status}); users not listed expect the
# "*" entry, or 403.
_OUTPUT_READERS = ("office_staff", "unit_head", "chief", "outsider")


def _outputs(org) -> dict:
    """One rule, rotation and meeting of district A (created once per test)."""
    from django.utils import timezone

    from remediation.models import MeetingKind, RotationKind
    from remediation.services.meetings import meeting_save
    from remediation.services.rotations import rotation_create
    from remediation.services.rules import rule_create

    cached = getattr(org, "_outputs", None)
    if cached is None:
        today = timezone.localdate()
        rule = rule_create(actor=org.office_staff, unit=org.court_a, title="矩阵制度")
        rotation = rotation_create(
            actor=org.office_staff,
            officer=org.officer_a2,
            to_unit=org.police_a,
            to_post="民警",
            effective_date=today,
            reason="矩阵",
            kind=RotationKind.ROTATION,
        )
        meeting = meeting_save(
            actor=org.office_staff,
            unit=org.district_a,
            date=today,
            kind=MeetingKind.CONSULTATION,
            title="矩阵会商",
            decisions="议定",
        )
        cached = org._outputs = {"rule": rule.pk, "rotation": rotation.pk, "meeting": meeting.pk}
    return cached


PAGES = [
    ("home", lambda org: {}, dict.fromkeys(USERS, 200)),
    (
        "rectify:unit_tree",
        lambda org: {},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "outsider": 200, "admin": 200},
    ),
    (
        "rectify:unit_children",
        lambda org: {"pk": org.district_a.pk},
        {"office_staff": 200, "chief": 200, "admin": 200, "outsider": 404, "unit_head": 404},
    ),
    ("rectify:officer_list", lambda org: {}, {"admin": 200}),
    ("rectify:audit_list", lambda org: {}, {"admin": 200}),
    ("rectify:org_import", lambda org: {}, {"admin": 200}),
    # Accounts without an officer record have no report of their own.
    (
        "selfcheck:my_report",
        lambda org: {},
        {"officer_a": 200, "handler": 200, "unit_head": 200, "*": 404},
    ),
    ("selfcheck:queue", lambda org: {}, {"reviewer": 200}),
    # 导出报告汇总: reviewers (answers) and office staff (progress only), each in their scope.
    (
        "selfcheck:export",
        lambda org: {},
        {"reviewer": 200, "office_staff": 200, "outsider": 200},
    ),
    # S1 talk corrections: talk keepers whose subtree holds the talk partner.
    (
        "selfcheck:talk_correct",
        _talk,
        {"reviewer": 200, "office_staff": 200, "unit_head": 200, "chief": 200, "outsider": 404},
    ),
    # leads: intake/office staff of an office; ledger for every lead role (scoped rows).
    ("leads:intake", lambda org: {}, {"intake": 200, "office_staff": 200, "outsider": 200}),
    ("leads:register", lambda org: {}, {"intake": 200, "office_staff": 200, "outsider": 200}),
    (
        "leads:ledger",
        lambda org: {},
        {
            "intake": 200,
            "office_staff": 200,
            "outsider": 200,
            "handler": 200,
            "unit_head": 200,
            "chief": 200,
        },
    ),
    ("leads:my_work", lambda org: {}, {"handler": 200, "unit_head": 200}),
    (
        "leads:screening",
        lambda org: {},
        {"intake": 200, "office_staff": 200, "outsider": 200, "chief": 200},
    ),
    # L10 board: office staff, unit heads and leaders (rows scoped, recusal applies).
    (
        "leads:oversight",
        lambda org: {},
        {"intake": 200, "office_staff": 200, "outsider": 200, "unit_head": 200, "chief": 200},
    ),
    # L11: risk notes visible with their leads; notes about officers for office and leaders.
    (
        "leads:risk_notes",
        lambda org: {},
        {
            "intake": 200,
            "office_staff": 200,
            "outsider": 200,
            "handler": 200,
            "unit_head": 200,
            "chief": 200,
        },
    ),
    (
        "leads:officer_risk",
        lambda org: {"pk": org.officer_a.pk},
        {"office_staff": 200, "chief": 200, "outsider": 404},
    ),
    # lead attachments: every reader of the lead downloads (audited); invisible leads 404.
    (
        "leads:attachment",
        _lead_attachment,
        {
            "intake": 200,
            "office_staff": 200,
            "handler": 200,
            "unit_head": 200,
            "chief": 200,
            "*": 404,
        },
    ),
    # removal (confirmation page): managing staff; the handler only for their own uploads.
    (
        "leads:attachment_remove",
        _lead_attachment,
        {
            "intake": 200,
            "office_staff": 200,
            "handler": 403,
            "unit_head": 403,
            "chief": 403,
            "*": 404,
        },
    ),
    (
        "leads:assign_conflicts",
        lambda org: {"pk": _lead_attachment(org)["pk"]},
        {
            "intake": 200,
            "office_staff": 200,
            "handler": 403,
            "unit_head": 403,
            "chief": 403,
            "*": 404,
        },
    ),
    # remediation outputs (R7, R8, O3): readers are office staff, unit heads and leaders;
    # a rule of 甲区法院, a meeting of 甲区, a rotation 甲区一派出所 → 甲区公安分局.
    *[
        (name, lambda org: {}, dict.fromkeys(_OUTPUT_READERS, 200))
        for name in (
            "remediation:rule_list",
            "remediation:rotation_list",
            "remediation:rotation_overdue",
            "remediation:meeting_list",
        )
    ],
    ("remediation:rule_create", lambda org: {}, {"office_staff": 200, "outsider": 200}),
    ("remediation:rotation_create", lambda org: {}, {"office_staff": 200, "outsider": 200}),
    (
        "remediation:meeting_create",
        lambda org: {},
        {"office_staff": 200, "chief": 200, "outsider": 200},
    ),
    (
        "remediation:rule_detail",
        lambda org: {"pk": _outputs(org)["rule"]},
        {"office_staff": 200, "chief": 200, "*": 404},
    ),
    (
        "remediation:rule_edit",
        lambda org: {"pk": _outputs(org)["rule"]},
        {"office_staff": 200, "chief": 403, "*": 404},
    ),
    (
        "remediation:rotation_detail",
        lambda org: {"pk": _outputs(org)["rotation"]},
        {"office_staff": 200, "chief": 200, "unit_head": 200, "*": 404},
    ),
    (
        "remediation:meeting_detail",
        lambda org: {"pk": _outputs(org)["meeting"]},
        {"office_staff": 200, "chief": 200, "*": 404},
    ),
    (
        "remediation:meeting_edit",
        lambda org: {"pk": _outputs(org)["meeting"]},
        {"office_staff": 200, "chief": 200, "*": 404},
    ),
    # remediation Excel (R4): office staff import problem lists; readers export the ledger;
    # an import job is its uploader's alone (404 to other office staff).
    ("remediation:list_import", lambda org: {}, {"office_staff": 200, "outsider": 200}),
    ("remediation:list_import_template", lambda org: {}, {"office_staff": 200, "outsider": 200}),
    (
        "remediation:list_import_job",
        lambda org: {"pk": _list_import(org)},
        {"office_staff": 200, "outsider": 404},
    ),
    ("remediation:ledger_export", lambda org: {}, dict.fromkeys(_OUTPUT_READERS, 200)),
    # remediation (R1–R6): office staff manage their jurisdiction's plans and items; unit
    # heads and leaders read their subtree; the responsible person (the handler here) works
    # on the item; everyone else gets 404 for objects, 403 for the lists of other roles.
    (
        "remediation:ledger",
        lambda org: {},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "outsider": 200},
    ),
    ("remediation:my_items", lambda org: {}, dict.fromkeys(USERS, 200)),
    ("remediation:plan_list", lambda org: {}, dict.fromkeys(USERS, 200)),
    ("remediation:plan_create", lambda org: {}, {"office_staff": 200, "outsider": 200}),
    (
        "remediation:plan_detail",
        lambda org: {"pk": _remediation(org)["plan"]},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    (
        "remediation:plan_edit",
        lambda org: {"pk": _remediation(org)["plan"]},
        {"office_staff": 200, "unit_head": 403, "chief": 403, "*": 404},
    ),
    (
        "remediation:plan_document",
        lambda org: {"pk": _remediation(org)["plan"]},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    (
        "remediation:item_create",
        lambda org: {"plan_pk": _remediation(org)["plan"]},
        {"office_staff": 200, "unit_head": 403, "chief": 403, "*": 404},
    ),
    (
        "remediation:item_detail",
        lambda org: {"pk": _remediation(org)["item"]},
        {"office_staff": 200, "handler": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    (
        "remediation:item_edit",
        lambda org: {"pk": _remediation(org)["item"]},
        {"office_staff": 200, "handler": 403, "unit_head": 403, "chief": 403, "*": 404},
    ),
    (
        "remediation:evidence_download",
        lambda org: (lambda r: {"pk": r["item"], "evidence_pk": r["evidence"]})(_remediation(org)),
        {"office_staff": 200, "handler": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    # 生成整改问题 from a lead: who manages the lead (a lead of category "other", for which
    # police_a has no plan: the office is told so, 409); the lead's invisible elsewhere.
    (
        "remediation:item_from_lead",
        lambda org: {"lead_pk": _lead_attachment(org)["pk"]},
        {
            "office_staff": 409,
            "intake": 403,
            "handler": 403,
            "unit_head": 403,
            "chief": 403,
            "*": 404,
        },
    ),
]


# leadership, O7: the reports page for leader and office roles; a report of 甲区's office and
# a draft 通报 only for that office (no city office in `org`, so nobody above reads them).
PAGES += [
    (
        "leadership:reports",
        lambda org: {},
        {"office_staff": 200, "outsider": 200, "chief": 200, "*": 403},
    ),
    ("leadership:report_detail", lambda org: {"pk": _report(org)}, {"office_staff": 200, "*": 404}),
    (
        "leadership:report_download",
        lambda org: {"pk": _report(org)},
        {"office_staff": 200, "*": 404},
    ),
    (
        "leadership:bulletin_detail",
        lambda org: {"pk": _bulletin(org)},
        {"office_staff": 200, "*": 404},
    ),
    (
        "leadership:bulletin_edit",
        lambda org: {"pk": _bulletin(org)},
        {"office_staff": 200, "*": 404},
    ),
]


# leadership, O7 and O2: the dashboard for leaders and offices, each in its own subtree
# (the province is above everyone's scope here: 404, as a missing unit); the thresholds for
# an office at the top of the tree or an administrator.
PAGES += [
    (
        "leadership:dashboard",
        lambda org: {},
        {"office_staff": 200, "outsider": 200, "chief": 200, "*": 403},
    ),
    (
        "leadership:unit_dashboard",
        lambda org: {"pk": org.district_a.pk},
        {"office_staff": 200, "chief": 200, "outsider": 404, "*": 403},
    ),
    (
        "leadership:unit_dashboard",
        lambda org: {"pk": org.province.pk},
        {"office_staff": 404, "chief": 404, "outsider": 404, "*": 403},
    ),
    ("leadership:policy", lambda org: {}, {"admin": 200, "*": 403}),
]

# leadership, O1: 我督办的 for leaders; 待我办理 is everyone's own list; an order and an
# instruction the chief gave on 甲区公安分局's lead: the chief, the addressee's head and the
# office over it read them, nobody else (404).
PAGES += [
    ("leadership:supervising", lambda org: {}, {"chief": 200, "*": 403}),
    ("leadership:awaiting", lambda org: {}, {"*": 200}),
    (
        "leadership:order_detail",
        lambda org: {"pk": _order(org)},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    (
        "leadership:order_print",
        lambda org: {"pk": _order(org)},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
    (
        "leadership:instruction_detail",
        lambda org: {"pk": _instruction(org)},
        {"office_staff": 200, "unit_head": 200, "chief": 200, "*": 404},
    ),
]


def _supervised_lead(org):
    from leads.models import Lead

    return Lead.objects.get(pk=_lead_attachment(org)["pk"])


def _order(org) -> int:
    import datetime as dt

    from django.utils import timezone

    from leadership.services.supervision import supervision_order_issue

    return supervision_order_issue(
        actor=org.chief,
        content="请加快办理",
        requirement="书面回复办理情况",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        lead=_supervised_lead(org),
    ).pk


def _instruction(org) -> int:
    from leadership.services.supervision import instruction_issue

    return instruction_issue(actor=org.chief, text="依纪依法查清", lead=_supervised_lead(org)).pk


def _report(org) -> int:
    from leadership.services.reports import report_generate, report_request

    report = report_request(office=org.office_a, actor=org.office_staff)
    report_generate(report_id=report.pk)
    return report.pk


def _bulletin(org) -> int:
    from leadership.services.reports import bulletin_generate

    return bulletin_generate(office=org.office_a, actor=org.office_staff).pk


def _list_import(org) -> int:
    """An import job uploaded by org.office_staff (its preview shows a file error)."""
    from remediation.models import ProblemListImport

    job = ProblemListImport.objects.create(
        unit=org.district_a, created_by=org.office_staff, filename="清单.xlsx", status="failed"
    )
    return job.pk


def _cases():
    for url_name, kwargs, expected in PAGES:
        for user in USERS:
            yield pytest.param(
                url_name,
                kwargs,
                user,
                expected.get(user, expected.get("*", 403)),
                id=f"{url_name}-{user}",
            )


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kwargs", "user", "status"), list(_cases()))
def test_page_access_matrix(client, org, url_name, kwargs, user, status):
    client.force_login(_user(org, user))
    response = client.get(reverse(url_name, kwargs=kwargs(org)))
    assert response.status_code == status


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client, org):
    for url_name, kwargs, _ in PAGES:
        response = client.get(reverse(url_name, kwargs=kwargs(org)))
        assert response.status_code == 302, url_name
        assert reverse("login") in response["Location"]


# The remediation actions are POST only (a GET answers 405). An empty POST shows who may
# act: 404 outside the item's readers, 403 for readers who may not do it, and for those who
# may, the form's own answer (422 with the errors on the item page, or a redirect back).
_ITEM = {"pk": "item"}
_MEASURE = {"pk": "item", "measure_pk": "measure"}
_EVIDENCE = {"pk": "item", "evidence_pk": "evidence"}
_WORKERS = {"office_staff": 422, "handler": 422, "unit_head": 422, "chief": 403, "*": 404}
_OFFICE = {"office_staff": 422, "handler": 403, "unit_head": 403, "chief": 403, "*": 404}
_BACK = {"office_staff": 302, "handler": 302, "unit_head": 302, "chief": 403, "*": 404}
ACTIONS = [
    ("remediation:measure_add", _ITEM, _WORKERS),
    ("remediation:measure_status", _MEASURE, _BACK),
    ("remediation:measure_note", _MEASURE, _BACK),
    ("remediation:evidence_upload", _ITEM, _WORKERS),
    ("remediation:evidence_review", _EVIDENCE, {**_OFFICE, "office_staff": 302}),
    ("remediation:item_submit", _ITEM, _WORKERS),
    ("remediation:item_accept", _ITEM, _OFFICE),
    ("remediation:item_return", _ITEM, _OFFICE),
    ("remediation:item_accountability_add", _ITEM, _OFFICE),
    ("remediation:item_no_one_to_blame", _ITEM, _OFFICE),
    ("remediation:item_waive_survey", _ITEM, {**_OFFICE, "office_staff": 403, "chief": 422}),
    ("remediation:item_escalate", _ITEM, _WORKERS),
]


def _action_cases():
    for url_name, kwargs, expected in ACTIONS:
        for user in USERS:
            status = expected.get(user, expected["*"])
            yield pytest.param(url_name, kwargs, user, status, id=f"{url_name}-{user}")


def _action_url(org, url_name: str, kwargs: dict) -> str:
    made = _remediation(org)
    return reverse(url_name, kwargs={k: made[v] for k, v in kwargs.items()})


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kwargs", "user", "status"), list(_action_cases()))
def test_remediation_action_matrix(client, org, url_name, kwargs, user, status):
    url = _action_url(org, url_name, kwargs)
    client.force_login(_user(org, user))
    assert client.get(url).status_code == 405
    assert client.post(url, {}).status_code == status


@pytest.mark.django_db
def test_anonymous_remediation_actions_are_sent_to_login(client, org):
    for url_name, kwargs, _ in ACTIONS:
        response = client.post(_action_url(org, url_name, kwargs), {})
        assert response.status_code == 302, url_name
        assert reverse("login") in response["Location"]


def _codes(qs):
    return set(qs.values_list("code", flat=True))


@pytest.mark.django_db
def test_each_role_sees_exactly_its_units(org):
    district_a = {"DA", "DA-COURT", "DA-POL", "DA-POL-1"}
    city = district_a | {"C", "DB", "DB-COURT"}
    assert _codes(units_visible_to(org.reviewer)) == district_a
    assert _codes(units_visible_to(org.office_staff)) == district_a
    assert _codes(units_visible_to(org.chief)) == city
    assert _codes(units_visible_to(org.outsider)) == {"DB", "DB-COURT"}
    assert _codes(units_visible_to(org.admin)) == city | {"P"}
    assert _codes(units_visible_to(org.officer_a.user)) == {"DA-COURT"}
    assert _codes(units_visible_to(org.unit_head.user)) == {"DA-POL", "DA-POL-1"}


@pytest.mark.django_db
def test_each_role_sees_exactly_its_officers(org):
    def numbers(user):
        return set(officers_visible_to(user).values_list("number", flat=True))

    district_a = {"A001", "A002", "A900", "A100", "A101"}
    assert numbers(org.officer_a.user) == {"A001"}  # self only
    assert numbers(org.reviewer) == district_a
    assert numbers(org.chief) == district_a | {"B001"}
    assert numbers(org.outsider) == {"B001"}
    assert numbers(org.unit_head.user) == {"A002", "A100", "A101"}
    assert numbers(org.handler.user) == {"A100"}  # a handler sees no officer register


@pytest.mark.django_db
def test_audit_trail_is_for_admins_only(org):
    from rectify.audit import audit_record

    audit_record(actor=None, action="tests.x.y")
    assert audit_events_visible_to(org.admin).count() >= 1
    for name in ["chief", "reviewer", "office_staff", "outsider"]:
        assert audit_events_visible_to(_user(org, name)).count() == 0


@pytest.mark.django_db
def test_officer_scoping_costs_the_same_queries_at_any_size(org):
    def queries_for(extra: int) -> int:
        OfficerFactory.create_batch(extra, unit=org.station_a1)
        user = org.reviewer
        forget_assignments(user)
        with CaptureQueriesContext(connection) as ctx:
            rows = list(officers_visible_to(user))
        assert len(rows) >= extra
        return len(ctx.captured_queries)

    assert queries_for(10) == queries_for(200)
