"""Public reporting: no login, no JS, nothing about the client stored."""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rectify.net import client_ip

from .. import crypto, forms, selectors, services
from ..services import attachments
from ..workflow import LeadError

# --- public reporting (no login, no JS, nothing about the client stored) -------------------


def _client_bucket(request: HttpRequest, what: str) -> str:
    """A cache key for rate limiting: a salted hash of the client address, kept only in the
    cache for an hour — never written to the database or the report."""
    raw = (client_ip(request) or "") + settings.SECRET_KEY
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"leads:public:{what}:{digest}"


RATE_WINDOW = 3600  # seconds


def _rate_wait(request: HttpRequest, what: str, limit: int) -> int:
    """Seconds until the client may submit again (0: now). The window opens at the first
    counted submission and lasts an hour."""
    state = cache.get(_client_bucket(request, what))
    if not state or state["n"] < limit:
        return 0
    return max(1, int(state["until"] - time.time()))


def _rate_count(request: HttpRequest, what: str) -> None:
    """Count one submission in the client's window (approximate under races, which is
    enough to slow down a flood)."""
    key = _client_bucket(request, what)
    now = time.time()
    state = cache.get(key) or {"n": 0, "until": now + RATE_WINDOW}
    state["n"] += 1
    cache.set(key, state, timeout=max(1, int(state["until"] - now)))


def _wait_message(text: str, seconds: int, **params: object) -> str:
    return text % {"minutes": max(1, math.ceil(seconds / 60)), **params}


REPORT_LIMITED = _(
    "提交过于频繁：同一网络每小时最多提交 %(n)s 件举报，请约 %(minutes)s 分钟后再试。"
)
STATUS_LIMITED = _("查询过于频繁，请约 %(minutes)s 分钟后再试。")
RECEIPT_SESSION_KEY = "leads_public_receipt"


@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """Only accepted reports count toward the hourly limit (a mistyped form does not), and an
    accepted one redirects to the receipt page (post/redirect/get), which shows the code
    once: it travels in the session, encrypted, never in a URL or a log."""
    form = forms.PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        wait = _rate_wait(request, "report", settings.LEADS_PUBLIC_RATE)
        if wait:
            limited = _wait_message(REPORT_LIMITED, wait, n=settings.LEADS_PUBLIC_RATE)
            return render(
                request, "leads/public_report.html", {"form": form, "limited": limited}, status=429
            )
        if form.is_valid() and not form.cleaned_data.get("website"):
            d = form.cleaned_data
            try:
                with transaction.atomic():  # the report and its file, or neither
                    lead, code = services.public_report_submit(
                        office=d["office"],
                        category=d["category"],
                        summary=d["summary"],
                        subject_text=d["subject"],
                        subject_unit_text=d["subject_unit"],
                        reporter_name=d["reporter_name"],
                        reporter_contact=d["reporter_contact"],
                    )
                    if d.get("attachment"):
                        # No request passed: nothing about the client is recorded. The file
                        # name is replaced, it may name the reporter.
                        attachments.attachment_add(
                            lead=lead, actor=None, upload=d["attachment"], anonymise=True
                        )
            except LeadError as exc:
                form.add_error("attachment", str(exc))
            else:
                _rate_count(request, "report")
                request.session[RECEIPT_SESSION_KEY] = crypto.encrypt(code)
                if not request.user.is_authenticated:
                    request.session.set_expiry(0)  # gone when the browser closes
                return redirect("leads:public_receipt")
    return render(request, "leads/public_report.html", {"form": form})


@never_cache
def public_receipt(request: HttpRequest) -> HttpResponse:
    """The one-time receipt page: the code is taken out of the session as it is shown, so a
    refresh (or the back button) shows a notice instead of the code or an error."""
    token = request.session.pop(RECEIPT_SESSION_KEY, "")
    code = crypto.decrypt(token) if token else ""
    response = render(request, "leads/public_receipt.html", {"code": code})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def public_status(request: HttpRequest) -> HttpResponse:
    """The reporter enters the receipt code (POST, so it never lands in a URL or log)."""
    if request.method != "POST":
        return render(request, "leads/public_status.html", {"form": forms.ReceiptForm()})
    # Every lookup counts here, wrong codes included: this limit slows down guessing.
    wait = _rate_wait(request, "status", 30)
    if wait:
        return render(
            request,
            "leads/public_status.html",
            {"form": forms.ReceiptForm(), "limited": _wait_message(STATUS_LIMITED, wait)},
            status=429,
        )
    _rate_count(request, "status")
    form = forms.ReceiptForm(request.POST)
    lead = services.lead_for_receipt(request.POST.get("code", "")) if form.is_valid() else None
    if lead is None:
        return render(
            request,
            "leads/public_status.html",
            {"form": form, "not_found": request.method == "POST"},
            status=404 if form.is_valid() else 200,
        )
    op = request.POST.get("op")
    notice = ""
    if op == "message":
        msg = forms.ReporterMessageForm(request.POST)
        if msg.is_valid():
            services.reporter_message(lead=lead, text=msg.cleaned_data["text"])
            notice = _("留言已提交")
    elif op == "rate":
        rate = forms.RateForm(request.POST)
        if rate.is_valid():
            try:
                services.reporter_rate(lead=lead, rating=rate.cleaned_data["rating"])
                notice = _("感谢您的评价")
            except LeadError as exc:
                notice = str(exc)
    response = render(
        request,
        "leads/public_status.html",
        {
            "lead": lead,
            "code": services.normalise_receipt(request.POST.get("code", "")),
            "status_text": selectors.public_status(lead),
            "timeline": selectors.public_timeline(lead),
            "notice": notice,
            "can_rate": services.reporter_can_rate(lead) and not lead.reporter_rating,
            "message_form": forms.ReporterMessageForm(),
            "rate_form": forms.RateForm(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
