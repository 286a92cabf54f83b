"""The signed-in officer's own pages: the report form (S4, S5, S6, S7), questions, notices."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify.models import ChronicProblem
from rectify.selectors import officer_for_user

from .. import selectors, services
from ..forms import (
    QuestionForm,
)
from ..forms.draft import Item, draft_from_version
from ..models import (
    AnswerKind,
    Relation,
    SelfCheckReport,
)
from .common import current_campaign


def _form_context(
    request: HttpRequest,
    report: SelfCheckReport,
    items: list[Item],
    draft: dict,
    errors: dict[str, list[str]] | None = None,
) -> dict:
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
        "policy_text": selectors.policy_text(campaign),
        "rows": rows,
        "business": draft.get("business", []),
        "lending": draft.get("lending", []),
        "business_errors": errors.get("business", []),
        "lending_errors": errors.get("lending", []),
        "all_errors": [m for ms in errors.values() for m in ms],
        "relations": Relation.choices,
        "versions": selectors.report_versions(report),
        "questions": selectors.report_questions(report),
        "question_form": QuestionForm(),
        "editable": report.is_editable,
        "BUSINESS": ChronicProblem.BUSINESS.value,
        "LENDING": ChronicProblem.LENDING.value,
        "YESNO": AnswerKind.YESNO.value,
        "TEXT": AnswerKind.TEXT.value,
        "DATE": AnswerKind.DATE.value,
        "details_max": services.DETAILS_MAX,
    }


def _own_report(request: HttpRequest) -> SelfCheckReport:
    campaign = current_campaign()
    # The report with its officer and unit in one query (the form, its autosave and submit
    # all need the unit for the N items); the first visit creates it.
    report = (
        SelfCheckReport.objects.select_related("officer__unit")
        .filter(campaign=campaign, officer__user_id=request.user.pk)
        .first()
    )
    if report is not None:
        report.campaign = campaign
        return report
    officer = officer_for_user(request.user)
    if officer is None:
        raise Http404(_("您的账号未关联干警信息"))
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
        draft = draft_from_version(report.latest_version)
    return render(request, "selfcheck/my_report.html", _form_context(request, report, items, draft))


@login_required
@require_POST
def my_report_autosave(request: HttpRequest) -> HttpResponse:
    report = _own_report(request)
    items = services.form_items(officer=report.officer, campaign=report.campaign)
    draft = services.draft_from_post(request.POST, items)
    try:
        report = services.report_save_draft(
            report=report, draft=draft, actor=request.user, items=items
        )
    except services.SelfCheckError as exc:
        status = 409 if exc.messages == [str(services.NOT_EDITABLE)] else 422
        return _saved({"errors": exc.messages}, status)
    return _saved({"saved_at": report.draft_saved_at}, 200)


def _saved(context: dict, status: int) -> HttpResponse:
    """The autosave's status line: a fragment without the page's navigation, so rendered
    without the request's context processors (two queries fewer per autosave)."""
    return HttpResponse(render_to_string("selfcheck/partials/_saved.html", context), status=status)


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


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = selectors.notices_for(request.user)
    if request.method == "POST":
        services.notices_mark_read(user=request.user)
        return redirect("selfcheck:notices")
    return render(request, "selfcheck/notices.html", {"notices": items})
