"""Heart-to-heart talks (S1)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rectify import access
from rectify.pagination import keyset_page

from .. import access as rules
from .. import selectors, services
from ..forms import (
    TalkCorrectForm,
    TalkForm,
)
from .common import current_campaign


@access.role_required(*rules.SELFCHECK_TALK_KEEPERS)
def talks(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
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
    page = keyset_page(
        selectors.talks_listed(talks=rules.talks_visible_to(request.user), campaign=campaign),
        ordering=("-talked_on", "-id"),
        cursor=request.GET.get("after"),
        size=50,
    )
    coverage = selectors.talk_coverage(
        roots=access.scope_paths(request.user, rules.SELFCHECK_TALK_KEEPERS),
        talks=rules.talks_visible_to(request.user),
        campaign=campaign,
    )
    return render(request, "selfcheck/talks.html", {"form": form, "page": page, **coverage})


@access.role_required(*rules.SELFCHECK_TALK_KEEPERS)
def talk_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a talk record with a reason; the page lists earlier corrections (old → new)."""
    talk = rules.get_talk_for_user(request.user, pk)
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
