"""One way to act on a lead: leads.access.LEAD_ACTIONS says which buttons the page draws,
and each action's own URL checks the same predicate (404 for an invisible lead, 403 for a
visible one the user may not do it to); an invalid form is the page again with the form's
error, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.access import LEAD_ACTIONS, lead_actions_for
from leads.models import LeadConclusion, LeadStatus

pytestmark = pytest.mark.django_db


def _markers(lead) -> dict[str, str]:
    """What each action draws on the lead's page (a form posting to its URL, or its id)."""

    def posts_to(name: str) -> str:
        return f'action="{reverse(f"leads:{name}", args=[lead.pk])}"'

    return {
        "register": f'href="{reverse("leads:register_existing", args=[lead.pk])}"',
        "edit": f'href="{reverse("leads:edit", args=[lead.pk])}"',
        "reveal": posts_to("reveal"),
        "assign": 'id="assign-form"',
        "name_handler": 'id="ov-assign-form"',
        "transfer": posts_to("transfer"),
        "merge": posts_to("merge") + ' data-confirm="确定并案？"',
        "hold": posts_to("hold"),
        "close": posts_to("close"),
        "feedback": posts_to("feedback"),
        "event": posts_to("event"),
        "conclude": posts_to("conclude"),
        "sign_handler": 'id="sign-handler"',
        "sign_head": 'id="sign-head"',
        "cross_off": posts_to("cross_off"),
        "reply": posts_to("reply"),
        "attach": 'id="attachment-form"',
        "supervision_list": 'id="ov-list-form"',
        "supervision_unlist": posts_to("supervision_unlist"),
        "supervision_note": 'id="ov-note-form"',
        "jurisdiction": 'id="ov-jurisdiction-form"',
        "risk_add": 'id="ov-risk-form"',
        "accountability_add": 'id="ov-accountability-form"',
    }


def _signing(org, assigned):
    lead = assigned()
    return services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.UNFOUNDED,
        result="经核查，反映问题不属实",
    )


@pytest.mark.parametrize(
    ("who", "stage"),
    [
        ("intake", "named"),
        ("office_staff", "registered"),
        ("office_staff", "handling"),
        ("handler", "handling"),
        ("chief", "handling"),
        ("unit_head", "handling"),
        ("handler", "signing"),
        ("unit_head", "signing"),
        ("office_staff", "signing"),
    ],
)
def test_it_draws_exactly_the_buttons_of_lead_actions(client, org, register, assigned, who, stage):
    if stage == "named":
        lead = register(reporter_anonymous=False, reporter_name="钱某", reporter_contact="139")
    elif stage == "registered":
        lead = register()
    elif stage == "handling":
        lead = assigned()
    else:
        lead = _signing(org, assigned)
    user = getattr(org, who)
    user = getattr(user, "user", user)  # an officer's login
    client.force_login(user)
    response = client.get(reverse("leads:detail", args=[lead.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    allowed = lead_actions_for(user, lead)
    markers = _markers(lead)
    assert set(markers) | {"merge_into"} == set(LEAD_ACTIONS)  # every action is checked
    drawn = {name for name, marker in markers.items() if marker in page}
    assert drawn == allowed - {"merge_into"}
    assert (response.context["merge_lead"] is not None) == ("merge_into" in allowed)
    assert response.context["allowed"] == allowed


def test_it_refuses_an_action_the_user_may_not_do_and_hides_invisible_leads(client, org, assigned):
    lead = assigned()
    before = lead.status
    client.force_login(org.handler.user)  # sees the lead, but triage is the office's
    transfer = {"body": "纪委监委", "date": timezone.localdate().isoformat()}
    assert client.post(reverse("leads:transfer", args=[lead.pk]), transfer).status_code == 403
    assert client.post(reverse("leads:cross_off", args=[lead.pk])).status_code == 403
    deadline = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    listing = {"supervisor": "赵院长", "deadline": deadline}
    url = reverse("leads:supervision_list", args=[lead.pk])
    assert client.post(url, listing).status_code == 403
    client.force_login(org.office_staff)  # the conclusion is the handler's
    concluding = {"conclusion": "unfounded", "result": "不属实"}
    assert client.post(reverse("leads:conclude", args=[lead.pk]), concluding).status_code == 403
    client.force_login(org.outsider)  # cannot see the lead: as if it did not exist
    for name, data in (("transfer", transfer), ("conclude", concluding), ("hold", {})):
        assert client.post(reverse(f"leads:{name}", args=[lead.pk]), data).status_code == 404
    assert client.post(url, listing).status_code == 404
    lead.refresh_from_db()
    assert lead.status == before and lead.supervisor is None


def test_it_shows_an_invalid_action_form_as_a_form_error_not_a_500(client, org, register):
    lead = register()
    client.force_login(org.office_staff)
    response = client.post(reverse("leads:transfer", args=[lead.pk]), {"body": "", "date": "x"})
    assert response.status_code == 422
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "接收机关" in shown and "移交日期" in shown
    # beside the field too: the bound form is drawn with its errors
    assert 'class="errorlist"' in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED
    response = client.post(reverse("leads:merge", args=[lead.pk]), {"into": "不存在的编号"})
    assert response.status_code == 422
    assert "找不到该编号的线索" in " ".join(str(m) for m in response.context["messages"])


def test_it_shows_a_bad_signing_role_as_a_form_error(client, org, assigned):
    lead = _signing(org, assigned)
    client.force_login(org.handler.user)
    response = client.post(reverse("leads:sign", args=[lead.pk]), {"role": "boss"})
    assert response.status_code == 422
    assert "签字身份无效" in " ".join(str(m) for m in response.context["messages"])
    assert not lead.signatures.exists()
