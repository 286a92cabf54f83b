"""Reading and reviewing a report (owner or reviewer), and answering questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.pagination import keyset_page
from rectify.params import int_param

from .. import access as rules
from .. import audit, selectors, services, ui
from ..forms import (
    AnswerForm,
    ReturnForm,
)
from ..models import (
    Relation,
    ReportStatus,
    ReportVersion,
    SelfCheckReport,
)


def _version_or_latest(report: SelfCheckReport, number: int | None) -> ReportVersion | None:
    """Version `number` (404 when the report has none such), or the latest (None before
    the first submission)."""
    version = selectors.report_version(report, number)
    if number and version is None:
        raise Http404
    return version


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = rules.get_selfcheck_for_user(request.user, pk)
    version = _version_or_latest(report, int_param(request.GET, "v", min_value=1))
    services.report_record_read(report=report, actor=request.user, request=request)
    can_review = rules.can_review_report(request.user, report)
    context = {
        "report": report,
        "version": version,
        "versions": selectors.report_versions(report),
        "reviews": selectors.report_reviews(report),
        "questions": selectors.report_questions(report),
        "can_review": can_review and report.status == ReportStatus.SUBMITTED,
        "can_answer": rules.can_answer_report(request.user, report),
        "return_form": ReturnForm(),
        "answer_form": AnswerForm(),
        "is_late": selectors.report_is_late(report),
        "deadline": report.campaign.deadline_for(report.officer),
        "relations": dict(Relation.choices),
        "page_sections": ui.report_page_sections(request.user, report),
    }
    return render(request, "selfcheck/report_detail.html", context)


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = rules.get_selfcheck_for_user(request.user, pk)
    version = _version_or_latest(report, int_param(request.GET, "v", min_value=1))
    if version is None:
        raise Http404(_("尚未提交"))
    services.report_record_read(
        report=report, actor=request.user, request=request, action=audit.REPORT_PRINT_READ
    )
    return render(
        request,
        "selfcheck/report_print.html",
        {"report": report, "version": version, "relations": dict(Relation.choices)},
    )


@login_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    report = rules.get_selfcheck_for_user(request.user, pk)
    versions = list(selectors.report_versions(report))
    if len(versions) < 2:
        messages.info(request, _("只有一个版本，无需比较。"))
        return redirect("selfcheck:report_detail", pk=report.pk)
    by_number = {str(v.number): v for v in versions}
    b = by_number.get(request.GET.get("b", ""), versions[0])
    a = by_number.get(request.GET.get("a", ""), versions[1])
    services.report_record_read(
        report=report, actor=request.user, request=request, action=audit.REPORT_DIFF_READ
    )
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
    report = rules.get_selfcheck_for_user(request.user, pk)
    if not rules.can_review_report(request.user, report):
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
    report = rules.get_selfcheck_for_user(request.user, pk)
    if not rules.can_review_report(request.user, report):
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
    question = rules.get_question_to_answer(request.user, pk)
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


@access.role_required(*rules.SELFCHECK_QUESTION_ANSWERERS)
def questions(request: HttpRequest) -> HttpResponse:
    """Questions of the subtree (reviewers and office), unanswered first, answered in place."""
    show = request.GET.get("show", "open")
    qs = selectors.questions_to_answer(
        questions=rules.selfcheck_questions_visible_to(request.user), user=request.user, show=show
    )
    page = keyset_page(qs, ordering=("-asked_at", "-id"), cursor=request.GET.get("after"), size=50)
    return render(request, "selfcheck/questions.html", {"page": page, "show": show})
