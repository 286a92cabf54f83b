"""The pages anybody may open without an account (O4–O6): a unit's public commitments and
the acceptance survey. No login, no JavaScript needed, no session for anonymous visitors
(no messages framework: it would set a cookie), the CSRF cookie dies with the browser, and
nothing about the visitor is stored or logged (deploy/gunicorn.conf.py PUBLIC_PREFIXES,
deploy/nginx/rectify.conf skip these paths)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..forms.public import SurveyAnswerForm, SurveyCodeForm
from ..models import SurveyCode
from ..selectors import public as selectors
from ..services import surveys
from ..services.surveys import SurveyError


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # The code travels in the QR's URL: never sent to another site. ("no-referrer" would
    # make the browser post `Origin: null`, which the CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def public_unit(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.public_unit_page(pk)
    if page is None:
        raise Http404
    return _no_store(render(request, "remediation/public/unit.html", {"page": page}))


def _entry(request: HttpRequest, form: SurveyCodeForm, *, status: int = 200) -> HttpResponse:
    return _no_store(
        render(request, "remediation/public/survey_code.html", {"form": form}, status=status)
    )


def _answer_page(
    request: HttpRequest, code: SurveyCode, form: SurveyAnswerForm, *, status: int = 200
) -> HttpResponse:
    batch = code.batch
    context = {
        "form": form,
        "unit": batch.unit,
        "item": batch.item,
        # A unit-wide survey accepts what the unit promised: its published commitments.
        "commitments": [] if batch.item_id else selectors.public_commitments_of(batch.unit),
    }
    return _no_store(
        render(request, "remediation/public/survey_answer.html", context, status=status)
    )


def _lookup(request: HttpRequest, raw: str) -> HttpResponse:
    form = SurveyCodeForm({"code": raw})
    if not form.is_valid():
        return _entry(request, form)
    try:
        code = surveys.survey_code_lookup(form.cleaned_data["code"])
    except SurveyError as exc:
        form.add_error("code", str(exc))
        return _entry(request, form, status=429 if surveys.survey_guess_wait() else 200)
    answer = SurveyAnswerForm(initial={"code": surveys.normalise_code(raw)})
    return _answer_page(request, code, answer)


@never_cache
def survey(request: HttpRequest) -> HttpResponse:
    """Enter a code (POST), or arrive from the slip's QR code with `?code=` in the URL."""
    raw = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
    if raw is None:
        return _entry(request, SurveyCodeForm())
    return _lookup(request, raw)


@never_cache
@require_POST
def survey_answer(request: HttpRequest) -> HttpResponse:
    form = SurveyAnswerForm(request.POST)
    raw = request.POST.get("code", "")
    if not form.is_valid():
        if "code" in form.errors:
            return _lookup(request, raw)
        try:
            code = surveys.survey_code_lookup(raw)
        except SurveyError as exc:
            entry = SurveyCodeForm({"code": raw})
            entry.is_valid()
            entry.add_error("code", str(exc))
            return _entry(request, entry)
        return _answer_page(request, code, form)
    try:
        surveys.survey_answer(
            raw_code=form.cleaned_data["code"],
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    except SurveyError as exc:
        entry = SurveyCodeForm({"code": raw})
        entry.is_valid()
        entry.add_error("code", str(exc))
        return _entry(request, entry, status=409 if str(exc) == str(surveys.CODE_USED) else 200)
    return redirect("remediation:survey_thanks")


@never_cache
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "remediation/public/survey_thanks.html"))
