"""Thin views: scope through rectify.access, write through services, read through selectors."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.audit import audit_record
from rectify.excel import xlsx_response
from rectify.models import AuditVerb, Campaign, ChronicProblem, Role
from rectify.pagination import keyset_page
from rectify.params import id_param, int_param
from rectify.selectors import officer_for_user

from . import selectors, services
from .forms import (
    AnswerForm,
    ItemConfigForm,
    QuestionForm,
    QueueFilterForm,
    ReturnForm,
    TalkCorrectForm,
    TalkForm,
    WarningCaseForm,
)
from .models import (
    DEFAULT_LENIENCY_TEXT,
    AnswerKind,
    CampaignPolicy,
    CaseRead,
    CaseStatus,
    Notice,
    Relation,
    ReportStatus,
)


def _campaign() -> Campaign:
    campaign = Campaign.current()
    if campaign is None:
        raise Http404(_("当前没有进行中的教育整顿活动"))
    return campaign


def _policy_text(campaign: Campaign) -> str:
    policy = CampaignPolicy.objects.filter(campaign=campaign).first()
    return policy.leniency_text if policy else str(DEFAULT_LENIENCY_TEXT)


def _can_review(user, report) -> bool:
    if report.officer.user_id == user.pk:
        return False
    return any(
        report.officer.unit.path.startswith(p) for p in access.scope_paths(user, [Role.REVIEWER])
    )


def _can_answer(user, report) -> bool:
    if report.officer.user_id == user.pk:
        return False
    paths = access.scope_paths(user, access.SELFCHECK_QUESTION_ANSWERERS)
    return any(report.officer.unit.path.startswith(p) for p in paths)


# --- the officer's own form (S4, S5, S6, S7) -----------------------------------------------


def _draft_from_version(version) -> dict:
    content = version.content
    return {
        "answers": {
            i["key"]: {"yes": i["yes"], "details": i["details"], "date": i["date"]}
            for i in content.get("items", [])
        },
        "business": content.get("business", []),
        "lending": content.get("lending", []),
    }


def _form_context(request, report, items, draft, errors=None) -> dict:
    campaign = report.campaign
    officer = report.officer
    answers = draft.get("answers", {})
    errors = errors or {}
    rows = [
        {"item": it, "a": answers.get(it.key, {}), "errors": errors.get(it.key, [])} for it in items
    ]
    return {
        "report": report,
        "officer": officer,
        "campaign": campaign,
        "deadline": campaign.deadline_for(officer),
        "days_left": (campaign.deadline_for(officer) - timezone.localdate()).days,
        "policy_text": _policy_text(campaign),
        "rows": rows,
        "business": draft.get("business", []),
        "lending": draft.get("lending", []),
        "business_errors": errors.get("business", []),
        "lending_errors": errors.get("lending", []),
        "all_errors": [m for ms in errors.values() for m in ms],
        "relations": Relation.choices,
        "versions": selectors.report_versions(report),
        "questions": report.questions.all(),
        "question_form": QuestionForm(),
        "editable": report.is_editable,
        "BUSINESS": ChronicProblem.BUSINESS.value,
        "LENDING": ChronicProblem.LENDING.value,
        "YESNO": AnswerKind.YESNO.value,
        "TEXT": AnswerKind.TEXT.value,
        "DATE": AnswerKind.DATE.value,
        "details_max": services.DETAILS_MAX,
    }


def _own_report(request):
    officer = officer_for_user(request.user)
    if officer is None:
        raise Http404(_("您的账号未关联干警信息"))
    campaign = _campaign()
    report = services.report_for_officer(officer=officer, campaign=campaign)
    report.officer = officer
    report.campaign = campaign
    return report


@login_required
def my_report(request: HttpRequest) -> HttpResponse:
    report = _own_report(request)
    items = services.form_items(officer=report.officer, campaign=report.campaign)
    draft = report.draft
    if not draft and report.latest_version is not None:
        draft = _draft_from_version(report.latest_version)
    return render(request, "selfcheck/my_report.html", _form_context(request, report, items, draft))


@login_required
@require_POST
def my_report_autosave(request: HttpRequest) -> HttpResponse:
    report = _own_report(request)
    items = services.form_items(officer=report.officer, campaign=report.campaign)
    draft = services.draft_from_post(request.POST, items)
    try:
        report = services.report_save_draft(report=report, draft=draft, actor=request.user)
    except services.SelfCheckError as exc:
        status = 409 if exc.messages == [str(services.NOT_EDITABLE)] else 422
        return render(
            request, "selfcheck/partials/_saved.html", {"errors": exc.messages}, status=status
        )
    return render(request, "selfcheck/partials/_saved.html", {"saved_at": report.draft_saved_at})


@login_required
@require_POST
def my_report_submit(request: HttpRequest) -> HttpResponse:
    report = _own_report(request)
    items = services.form_items(officer=report.officer, campaign=report.campaign)
    draft = services.draft_from_post(request.POST, items)
    try:
        version = services.report_submit(report=report, draft=draft, actor=request.user)
    except services.SelfCheckError:
        report.refresh_from_db()
        errors = services.draft_errors(draft, items) if report.is_editable else {}
        if errors:  # keep what was typed, as autosave would have
            # A value over its limit: nothing is saved, the errors say why.
            with contextlib.suppress(services.SelfCheckError):
                report = services.report_save_draft(report=report, draft=draft, actor=request.user)
        context = _form_context(request, report, items, draft, errors)
        if not errors:
            context["all_errors"] = [str(services.NOT_EDITABLE)]
        return render(request, "selfcheck/my_report.html", context, status=422)
    if version.in_window:
        messages.success(
            request, _("已提交（第%(n)s版），提交时间已记录。") % {"n": version.number}
        )
    else:
        messages.warning(
            request, _("已提交（第%(n)s版），但已超过您的截止日期。") % {"n": version.number}
        )
    return redirect("selfcheck:my_report")


@login_required
@require_POST
def my_question_ask(request: HttpRequest) -> HttpResponse:
    report = _own_report(request)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.question_ask(report=report, text=form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("问题已发送，审核人员答复后会通知您。"))
    else:
        messages.error(request, _("请填写问题内容"))
    return redirect(reverse("selfcheck:my_report") + "#questions")


# --- reading a report (owner or reviewer) --------------------------------------------------


def _version_or_latest(report, number: int | None):
    versions = report.versions.all()
    if number:
        version = versions.filter(number=number).first()
        if version is None:
            raise Http404
        return version
    return report.latest_version


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_selfcheck_for_user(request.user, pk)
    version = _version_or_latest(report, int_param(request.GET, "v", min_value=1))
    services.report_record_read(report=report, actor=request.user, request=request)
    can_review = _can_review(request.user, report)
    context = {
        "report": report,
        "version": version,
        "versions": selectors.report_versions(report),
        "reviews": report.reviews.select_related("actor", "version"),
        "questions": report.questions.select_related("answered_by"),
        "can_review": can_review and report.status == ReportStatus.SUBMITTED,
        "can_answer": _can_answer(request.user, report),
        "return_form": ReturnForm(),
        "answer_form": AnswerForm(),
        "is_late": selectors.report_is_late(report),
        "deadline": report.campaign.deadline_for(report.officer),
        "relations": dict(Relation.choices),
    }
    return render(request, "selfcheck/report_detail.html", context)


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_selfcheck_for_user(request.user, pk)
    version = _version_or_latest(report, int_param(request.GET, "v", min_value=1))
    if version is None:
        raise Http404(_("尚未提交"))
    services.report_record_read(report=report, actor=request.user, request=request, what="print")
    return render(
        request,
        "selfcheck/report_print.html",
        {"report": report, "version": version, "relations": dict(Relation.choices)},
    )


@login_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_selfcheck_for_user(request.user, pk)
    versions = list(selectors.report_versions(report))
    if len(versions) < 2:
        messages.info(request, _("只有一个版本，无需比较。"))
        return redirect("selfcheck:report_detail", pk=report.pk)
    by_number = {str(v.number): v for v in versions}
    b = by_number.get(request.GET.get("b", ""), versions[0])
    a = by_number.get(request.GET.get("a", ""), versions[1])
    services.report_record_read(report=report, actor=request.user, request=request, what="diff")
    return render(
        request,
        "selfcheck/version_diff.html",
        {
            "report": report,
            "a": a,
            "b": b,
            "versions": versions,
            "diff": services.versions_diff(a, b),
            "relations": dict(Relation.choices),
        },
    )


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_selfcheck_for_user(request.user, pk)
    if not _can_review(request.user, report):
        raise Http404
    try:
        services.report_accept(report=report, actor=request.user)
        messages.success(request, _("已审核通过：%(o)s") % {"o": report.officer})
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:report_detail", pk=report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_selfcheck_for_user(request.user, pk)
    if not _can_review(request.user, report):
        raise Http404
    form = ReturnForm(request.POST)
    try:
        services.report_return(
            report=report,
            actor=request.user,
            reason=form.data.get("reason", ""),
        )
        messages.success(request, _("已退回补充：%(o)s") % {"o": report.officer})
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:report_detail", pk=report.pk)


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = (
        access.selfcheck_questions_visible_to(request.user)
        .select_related("report__officer__unit", "report__officer__user")
        .filter(pk=pk)
        .first()
    )
    if question is None or not _can_answer(request.user, question.report):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.question_answer(
            question=question, text=form.cleaned_data["text"], actor=request.user
        )
        if request.htmx:
            return render(
                request, "selfcheck/partials/_question.html", {"q": question, "can_answer": True}
            )
        messages.success(request, _("已答复"))
    else:
        messages.error(request, _("请填写答复内容"))
    return redirect("selfcheck:questions")


@access.role_required(*access.SELFCHECK_QUESTION_ANSWERERS)
def questions(request: HttpRequest) -> HttpResponse:
    """Questions of the subtree (reviewers and office), unanswered first, answered in place."""
    qs = (
        access.selfcheck_questions_visible_to(request.user)
        .exclude(report__officer__user=request.user)
        .select_related("report__officer__unit", "answered_by")
    )
    show = request.GET.get("show", "open")
    if show == "open":
        qs = qs.filter(answered_at__isnull=True)
    page = keyset_page(qs, ordering=("-asked_at", "-id"), cursor=request.GET.get("after"), size=50)
    return render(request, "selfcheck/questions.html", {"page": page, "show": show})


# --- the review queue ----------------------------------------------------------------------


@access.role_required(Role.REVIEWER)
def review_queue(request: HttpRequest) -> HttpResponse:
    campaign = _campaign()
    reviewer_paths = access.scope_paths(request.user, [Role.REVIEWER])
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=reviewer_paths))
    form = QueueFilterForm(request.GET or None, columns=columns)
    filters = selectors.QueueFilters()
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            unit = access.get_unit_for_user(request.user, data["unit"])
        filters = selectors.QueueFilters(
            status=data.get("status") or "",
            unit=unit,
            cadre=data.get("cadre") or "",
            yes_item=data.get("yes_item") or "",
            late=bool(data.get("late")),
            q=data.get("q") or "",
        )
    qs = selectors.review_queue(
        reports=access.selfchecks_visible_to(request.user).exclude(officer__user=request.user),
        campaign=campaign,
        filters=filters,
    )
    page = keyset_page(
        qs,
        # submitted first (s > r > d > a), cadres first within (S3)
        ordering=("-status", "-officer__is_leading_cadre", "-id"),
        cursor=request.GET.get("after"),
        size=50,
    )
    today = timezone.localdate()
    for report in page.items:
        report.campaign = campaign
        report.late = selectors.report_is_late(report, today)
        content = report.latest_version.content if report.latest_version else {}
        report.yes_numbers = [i["number"] for i in content.get("items", []) if i.get("yes")]
    # The list reveals status and yes-declarations: one audit event per page viewed.
    audit_record(
        actor=request.user,
        action="selfcheck.queue.read",
        verb=AuditVerb.READ,
        object_type="selfcheck.selfcheckreport",
        data={"ids": [r.pk for r in page.items], "filters": request.GET.dict()},
        request=request,
    )
    units = access.units_visible_to(request.user, [Role.REVIEWER]).order_by("path")[:300]
    return render(
        request,
        "selfcheck/queue.html",
        {"page": page, "form": form, "units": units, "unit": unit, "campaign": campaign},
    )


@access.role_required(Role.REVIEWER, Role.OFFICE)
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    campaign = _campaign()
    officers = access.selfcheck_officers_to_remind(request.user)
    result = services.reminders_send(campaign=campaign, officers=officers, actor=request.user)
    messages.success(request, services.reminders_message(result))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("selfcheck:queue")
    return redirect(target or reverse("selfcheck:queue"))


# --- figures, export ------------------------------------------------------------------------


def _figures_unit(request):
    units = access.selfcheck_units_for_figures(request.user)
    unit_id = _unit_param(request)
    if unit_id:
        unit = units.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        return unit
    roots = access.scope_paths(request.user, access.SELFCHECK_FIGURES)
    if not roots:
        raise Http404
    return units.filter(path=roots[0]).first()


@access.role_required(*access.SELFCHECK_FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    campaign = _campaign()
    unit = _figures_unit(request)
    fig = selectors.unit_figures(unit=unit, campaign=campaign)
    children = selectors.child_figures(unit=unit, campaign=campaign)
    n_items = selectors.n_items_for(campaign=campaign, paths=[unit.path])
    items = [
        {"number": i, "key": value, "label": label, "n": fig.yes_per_item.get(value, 0)}
        for i, (value, label) in enumerate(ChronicProblem.choices, start=1)
    ]
    items += [
        {"number": "N", "key": cfg.key, "label": cfg.text, "n": fig.yes_per_item.get(cfg.key, 0)}
        for cfg in n_items
    ]
    chart = {
        "labels": [c.unit.name for c in children],
        "required": [c.required for c in children],
        "submitted": [c.submitted for c in children],
        "cadre_required": [c.cadre_required for c in children],
        "cadre_submitted": [c.cadre_submitted for c in children],
    }
    roots = access.scope_paths(request.user, access.SELFCHECK_FIGURES)
    parent = None
    if unit.depth > 1 and not any(unit.path == r for r in roots):
        parent = (
            access.selfcheck_units_for_figures(request.user).filter(path=unit.path[:-4]).first()
        )
    return render(
        request,
        "selfcheck/figures.html",
        {
            "campaign": campaign,
            "unit": unit,
            "fig": fig,
            "children": children,
            "items": items,
            "chart": chart,
            "parent": parent,
            "can_queue": access.has_role(request.user, Role.REVIEWER),
            "can_export": access.has_role(request.user, *access.SELFCHECK_EXPORTERS),
            "can_remind": access.has_role(request.user, Role.REVIEWER, Role.OFFICE),
        },
    )


def _unit_param(request: HttpRequest) -> int | None:
    """The `unit` query parameter as an id; garbage ('²' passes isdigit) is ignored."""
    return id_param(request.GET, "unit")


@access.role_required(*access.SELFCHECK_EXPORTERS)
def export(request: HttpRequest) -> HttpResponse:
    """The report summary: one row per officer, answers only where the user may read them
    (own report, reviewed subtree); office staff get officers and progress of their scope."""
    campaign = _campaign()
    reports = access.selfcheck_reports_for_export(request.user)
    paths = access.scope_paths(request.user, access.SELFCHECK_EXPORTERS)
    unit_id = _unit_param(request)
    if unit_id:
        unit = access.get_unit_for_user(request.user, unit_id)
        reports = reports.filter(officer__unit__path__startswith=unit.path)
        paths = [unit.path]
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=paths))
    audit_record(
        actor=request.user,
        action="selfcheck.report.exported",
        verb=AuditVerb.EXPORT,
        object_type="rectify.campaign",
        object_id=campaign.pk,
        data={"unit": unit_id or None},
        request=request,
    )
    rows = selectors.export_rows(
        reports=reports,
        campaign=campaign,
        columns=columns,
        content_q=access.selfcheck_content_q(request.user),
    )
    return xlsx_response(
        f"selfcheck-{timezone.localdate():%Y%m%d}.xlsx",
        [(_("自查事项汇总"), selectors.export_headers(columns), rows)],
    )


@access.role_required(*access.SELFCHECK_FIGURES)
def figures_export(request: HttpRequest) -> HttpResponse:
    """Completion figures of the unit and its children (aggregates only, for leaders too)."""
    campaign = _campaign()
    unit = _figures_unit(request)
    rows = [selectors.unit_figures(unit=unit, campaign=campaign)]
    rows += selectors.child_figures(unit=unit, campaign=campaign)
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=[unit.path]))
    audit_record(
        actor=request.user,
        action="selfcheck.figures.exported",
        verb=AuditVerb.EXPORT,
        target=unit,
        request=request,
    )
    return xlsx_response(
        f"selfcheck-figures-{timezone.localdate():%Y%m%d}.xlsx",
        [
            (
                _("完成情况"),
                selectors.figures_headers(columns),
                selectors.figures_rows(rows, columns),
            )
        ],
    )


# --- notices ------------------------------------------------------------------------------


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = list(Notice.objects.filter(user=request.user).order_by("-created_at")[:100])
    if request.method == "POST":
        services.notices_mark_read(user=request.user)
        return redirect("selfcheck:notices")
    return render(request, "selfcheck/notices.html", {"notices": items})


# --- N items configuration (office) -------------------------------------------------------


@access.role_required(Role.OFFICE)
def items_config(request: HttpRequest) -> HttpResponse:
    campaign = _campaign()
    units = list(access.units_visible_to(request.user, [Role.OFFICE]).order_by("path")[:500])
    form = ItemConfigForm(request.POST or None, units=units)
    if request.method == "POST":
        toggle = id_param(request.POST, "toggle")
        if toggle:
            item = access.selfcheck_item_configs_visible_to(request.user).filter(pk=toggle).first()
            if item is None:
                raise Http404
            services.item_config_update(item=item, actor=request.user, is_active=not item.is_active)
            return redirect("selfcheck:items")
        if form.is_valid():
            unit = access.get_unit_for_user(request.user, form.cleaned_data["unit"])
            services.item_config_create(
                campaign=campaign,
                unit=unit,
                text=form.cleaned_data["text"],
                help_text=form.cleaned_data["help_text"],
                kind=form.cleaned_data["kind"],
                order=form.cleaned_data["order"],
                actor=request.user,
            )
            messages.success(request, _("已添加“N”项自查事项"))
            return redirect("selfcheck:items")
    items = (
        access.selfcheck_item_configs_visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("unit")
        .order_by("unit__path", "order")
    )
    return render(request, "selfcheck/items.html", {"form": form, "items": items})


# --- talks (S1) ---------------------------------------------------------------------------


@access.role_required(*access.SELFCHECK_TALK_KEEPERS)
def talks(request: HttpRequest) -> HttpResponse:
    campaign = _campaign()
    form = TalkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_record(
                campaign=campaign,
                officer=form.cleaned_data["officer"],
                talker=form.cleaned_data["talker"],
                talked_on=form.cleaned_data["talked_on"],
                trigger=form.cleaned_data["trigger"],
                points=form.cleaned_data["points"],
                follow_up=form.cleaned_data["follow_up"],
                actor=request.user,
            )
        except services.SelfCheckError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("已记录谈心谈话"))
            return redirect("selfcheck:talks")
    visible = access.talks_visible_to(request.user).filter(campaign=campaign)
    page = keyset_page(
        visible.select_related("officer__unit", "talker", "trigger"),
        ordering=("-talked_on", "-id"),
        cursor=request.GET.get("after"),
        size=50,
    )
    coverage = selectors.talk_coverage(
        roots=access.scope_paths(request.user, access.SELFCHECK_TALK_KEEPERS),
        talks=access.talks_visible_to(request.user),
        campaign=campaign,
    )
    return render(request, "selfcheck/talks.html", {"form": form, "page": page, **coverage})


@access.role_required(*access.SELFCHECK_TALK_KEEPERS)
def talk_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a talk record with a reason; the page lists earlier corrections (old → new)."""
    talk = access.get_talk_for_user(request.user, pk)
    initial = {
        "officer": talk.officer,
        "talker": talk.talker,
        "talked_on": talk.talked_on,
        "trigger": talk.trigger_id,
        "points": talk.points,
        "follow_up": talk.follow_up,
    }
    form = TalkCorrectForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.talk_correct(
                talk=talk,
                actor=request.user,
                reason=data["reason"],
                **{name: data[name] for name in services.TALK_CORRECTABLE},
            )
        except services.SelfCheckError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("谈话记录已更正，原记录与更正原因已留存"))
            return redirect("selfcheck:talk_correct", pk=talk.pk)
    return render(
        request,
        "selfcheck/talk_correct.html",
        {"talk": talk, "form": form, "corrections": selectors.talk_corrections(talk)},
    )


# --- warning cases (S2 / O6) --------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    visible = access.warning_cases_visible_to(request.user).select_related("unit")
    can_draft = access.has_role(request.user, Role.OFFICE)
    can_approve = access.has_role(request.user, Role.LEADER)
    officer = officer_for_user(request.user)
    read_ids = set()
    if officer is not None:
        read_ids = set(CaseRead.objects.filter(officer=officer).values_list("case_id", flat=True))
    form = None
    if can_draft:
        units = list(access.units_visible_to(request.user, [Role.OFFICE]).order_by("path")[:500])
        form = WarningCaseForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            unit = access.get_unit_for_user(request.user, form.cleaned_data["unit"])
            if not access.has_role(request.user, Role.OFFICE) or not any(
                unit.path.startswith(p) for p in access.scope_paths(request.user, [Role.OFFICE])
            ):
                raise Http404
            services.warning_case_create(
                unit=unit,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                lesson=form.cleaned_data["lesson"],
                category=form.cleaned_data["category"],
                actor=request.user,
            )
            messages.success(request, _("案例已提交领导审批，批准后发布"))
            return redirect("selfcheck:cases")
    return render(
        request,
        "selfcheck/cases.html",
        {
            # read counts in the same query; coverage per unit is on each case's page
            "cases": visible.annotate(n_read=Count("reads")).order_by("-created_at")[:200],
            "form": form,
            "can_approve": can_approve,
            "read_ids": read_ids,
            "show_reads": can_draft or can_approve,
            "officer": officer,
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_warning_case_for_user(request.user, pk)
    officer = officer_for_user(request.user)
    read = officer is not None and CaseRead.objects.filter(case=case, officer=officer).exists()
    can_approve = case.status == CaseStatus.PENDING and any(
        case.unit.path.startswith(p) for p in access.scope_paths(request.user, [Role.LEADER])
    )
    per_unit = []
    if (
        access.has_role(request.user, Role.OFFICE, Role.LEADER)
        and case.status == CaseStatus.PUBLISHED
    ):
        per_unit = selectors.case_read_coverage(case)
    return render(
        request,
        "selfcheck/case_detail.html",
        {
            "case": case,
            "read": read,
            "officer": officer,
            "can_approve": can_approve,
            "per_unit": per_unit,
        },
    )


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_warning_case_for_user(request.user, pk)
    if not any(
        case.unit.path.startswith(p) for p in access.scope_paths(request.user, [Role.LEADER])
    ):
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.warning_case_decide(
            case=case, approve=approve, actor=request.user, note=request.POST.get("note", "")
        )
        messages.success(request, _("已批准发布") if approve else _("已退回，不予发布"))
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:case_detail", pk=case.pk)


@login_required
@require_POST
def case_confirm_read(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_warning_case_for_user(request.user, pk)
    officer = officer_for_user(request.user)
    if officer is None:
        raise Http404
    try:
        services.warning_case_confirm_read(case=case, officer=officer, actor=request.user)
        messages.success(request, _("已确认学习"))
    except services.SelfCheckError as exc:
        messages.error(request, exc.messages[0])
    return redirect("selfcheck:case_detail", pk=case.pk)
