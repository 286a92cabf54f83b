from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from .otp import otp_has_device, otp_is_verified, otp_required_for
from .params import BAD_PARAMETER

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

# Pages an account in the middle of its login steps may still open.
_ALWAYS_OPEN_PREFIXES = ("/static/", "/accounts/2fa/")


def _always_open(path: str) -> bool:
    return path.startswith(_ALWAYS_OPEN_PREFIXES) or path in {
        reverse("logout"),
        reverse("healthz"),
        # The public reporting pages serve anybody, signed in or not.
        reverse("leads:public_report"),
        reverse("leads:public_status"),
        reverse("remediation:survey"),
        reverse("remediation:survey_answer"),
        reverse("remediation:survey_thanks"),
    }


class SecondFactorMiddleware:
    """Accounts that need a second factor (rectify.otp.otp_required_for) and whose session
    has not passed it see only the enrolment or verification page, logout and static files.
    Needs django-otp's OTPMiddleware before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            user is not None
            and otp_required_for(user)
            and not otp_is_verified(user)
            and not _always_open(request.path)
        ):
            target = reverse("otp_verify" if otp_has_device(user) else "otp_enrol")
            if request.method == "GET" and not getattr(request, "htmx", False):
                target += "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """Accounts flagged `must_change_password` (imported ones) may only change it or log out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout"), reverse("healthz")}
            if request.path not in allowed and not request.path.startswith(
                ("/static/", "/accounts/2fa/")
            ):
                return redirect("password_change")
        return self.get_response(request)


class BadInputMiddleware:
    """A NUL character in any query or form value is garbage no person types: PostgreSQL
    refuses it in text and JSON (a 500 from any search box or audited filter), so the request
    is answered 400 (templates/400.html) before a view sees it. Forms refuse NUL too
    (Django's ProhibitNullCharactersValidator); this covers the raw GET/POST reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        for data in (request.GET, request.POST if request.method == "POST" else None):
            if data is None:
                continue
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    raise BadRequest(BAD_PARAMETER % {"name": key.replace("\x00", "")})
        return self.get_response(request)
