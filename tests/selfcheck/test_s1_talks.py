"""S1 talks as offices use them (issue 10): the talker is an officer, a record is corrected
with a reason (old → new kept, audited), coverage goes down the whole tree, and a talk
cannot be dated in the future; the talks page counts them per unit and per trigger, within
the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rectify.models import AuditEvent
from selfcheck import services
from selfcheck.models import Talk, TalkCorrection, TalkTrigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def trigger(db):
    services.talk_triggers_ensure()
    return TalkTrigger.objects.get(code="promotion")


def _post(org, trigger, **over) -> dict:
    return {
        "officer": org.officer_a2.number,  # typed, as without JavaScript
        "talker": org.unit_head.number,
        "talked_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "trigger": trigger.pk,
        "points": "了解思想动态",
        "follow_up": "",
        **over,
    }


def _talk(org, trigger, **over) -> Talk:
    fields = {
        "campaign": org.campaign,
        "officer": org.officer_a2,
        "talker": org.unit_head,
        "talked_on": timezone.localdate() - dt.timedelta(days=3),
        "trigger": trigger,
        "points": "了解思想动态",
        "actor": org.reviewer,
        **over,
    }
    return services.talk_record(**fields)


def test_s1_the_talker_is_an_officer_of_the_users_scope(client, org, trigger):
    client.force_login(org.reviewer)
    refused = client.post(
        reverse("selfcheck:talks"), _post(org, trigger, talker=org.officer_b.number)
    )
    assert refused.status_code == 200 and "talker" in refused.context["form"].errors
    response = client.post(reverse("selfcheck:talks"), _post(org, trigger))
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert talk.talker == org.unit_head and talk.talker_display == "周局长"
    assert "周局长" in client.get(reverse("selfcheck:talks")).content.decode()


def test_s1_a_talk_cannot_be_dated_in_the_future(client, org, trigger):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(org.reviewer)
    response = client.post(
        reverse("selfcheck:talks"), _post(org, trigger, talked_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["talked_on"] == [str(services.TALK_DATE_FUTURE)]
    assert not Talk.objects.exists()
    with pytest.raises(services.SelfCheckError) as exc:
        _talk(org, trigger, talked_on=dt.date(2099, 1, 1))
    assert exc.value.messages == [str(services.TALK_DATE_FUTURE)]


def test_s1_a_future_dated_record_does_not_count_in_coverage(client, org, trigger):
    # a record stored before dates were checked (e.g. 2099-01-01) is not a talk held
    Talk.objects.create(
        campaign=org.campaign,
        officer=org.officer_a,
        talker=org.cadre_a,
        talked_on=dt.date(2099, 1, 1),
        trigger=trigger,
        points="p",
    )
    client.force_login(org.reviewer)
    page = client.get(reverse("selfcheck:talks"))
    per_unit = {r["unit"].code: (r["talked"], r["total"]) for r in page.context["per_unit"]}
    assert per_unit["DA-COURT"][0] == 0 and per_unit["DA"][0] == 0
    assert {r["trigger"].code: r["n"] for r in page.context["per_trigger"]}["promotion"] == 0


def test_s1_coverage_goes_down_the_whole_tree(client, org, trigger):
    _talk(org, trigger)  # officer_a2 of station_a1, two levels below the district
    client.force_login(org.reviewer)
    page = client.get(reverse("selfcheck:talks"))
    per_unit = {r["unit"].code: (r["talked"], r["total"]) for r in page.context["per_unit"]}
    assert per_unit["DA-POL-1"] == (1, 1)
    assert per_unit["DA-POL"] == (1, 3)  # 孙承办, 周局长 and the station's 李四
    assert per_unit["DA"][0] == 1 and per_unit["DA-COURT"] == (0, 2)
    levels = {r["unit"].code: r["level"] for r in page.context["per_unit"]}
    assert (levels["DA"], levels["DA-POL"], levels["DA-POL-1"]) == (0, 1, 2)


def test_s1_a_talk_is_corrected_with_a_reason_old_and_new_kept_and_audited(client, org, trigger):
    talk = _talk(org, trigger)
    url = reverse("selfcheck:talk_correct", args=[talk.pk])
    client.force_login(org.reviewer)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["talker"].value() == org.unit_head
    day = timezone.localdate() - dt.timedelta(days=5)
    data = _post(org, trigger, talker=org.handler.number, talked_on=day.isoformat())

    no_reason = client.post(url, {**data, "reason": ""})
    assert "reason" in no_reason.context["form"].errors
    talk.refresh_from_db()
    assert talk.talker == org.unit_head

    response = client.post(url, {**data, "reason": "谈话人记错，实为孙承办"})
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.talker, talk.talked_on) == (org.handler, day)
    correction = TalkCorrection.objects.get(talk=talk)
    assert correction.reason == "谈话人记错，实为孙承办"
    assert correction.changes == {
        "谈话人": {"old": "周局长（A101）", "new": "孙承办（A100）"},
        "谈话日期": {
            "old": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "new": day.isoformat(),
        },
    }
    event = AuditEvent.objects.filter(action="selfcheck.talk.corrected").get()
    assert event.object_id == str(talk.pk)
    history = client.get(url).content.decode()
    assert "谈话人记错" in history and "周局长（A101）" in history

    # nothing changed: refused; a future date: refused
    with pytest.raises(services.SelfCheckError):
        services.talk_correct(talk=talk, actor=org.reviewer, reason="x", talker=org.handler)
    with pytest.raises(services.SelfCheckError):
        services.talk_correct(
            talk=talk, actor=org.reviewer, reason="x", talked_on=dt.date(2099, 1, 1)
        )
    # another district's office sees no such record
    client.force_login(org.outsider)
    assert client.get(url).status_code == 404
    assert TalkCorrection.objects.count() == 1


def test_s1_talk_partners_are_picked_from_the_keepers_subtree(client, org, trigger):
    client.force_login(org.reviewer)
    page = client.get(reverse("selfcheck:talks")).content.decode()
    assert page.count('class="officer-picker"') == 2  # talk partner and talker
    pick = reverse("rectify:officer_pick")
    params = {"scope": "talk_partners", "field": "officer", "wid": "id_officer"}
    listed = client.get(pick, {**params, "officer": "李"}).content.decode()
    assert "李四" in listed and "A002" in listed
    assert "王五" not in client.get(pick, {**params, "officer": "王"}).content.decode()
    # an officer of another district, typed by number, is refused like an unknown one
    refused = client.post(
        reverse("selfcheck:talks"), _post(org, trigger, officer=org.officer_b.number)
    )
    assert "officer" in refused.context["form"].errors and not Talk.objects.exists()


# --- the talks page: coverage per unit and trigger, scope ----------------------------------


def test_s1_talks_are_recorded_with_coverage_per_unit_and_trigger(client, org):
    services.talk_triggers_ensure()
    trigger = TalkTrigger.objects.get(code="promotion")
    client.force_login(org.reviewer)
    response = client.post(
        reverse("selfcheck:talks"),
        {
            "officer": org.officer_a.number,
            "talker": org.cadre_a.number,
            "talked_on": "2026-01-05",
            "trigger": trigger.pk,
            "points": "了解思想动态",
            "follow_up": "一周后回访",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("selfcheck:talks"))
    per_unit = {r["unit"].code: (r["talked"], r["total"]) for r in page.context["per_unit"]}
    assert per_unit["DA"][0] == 1 and per_unit["DA-COURT"] == (1, 2)  # 张三 + 赵院长
    per_trigger = {r["trigger"].code: r["n"] for r in page.context["per_trigger"]}
    assert per_trigger["promotion"] == 1 and per_trigger["family"] == 0
    assert "了解思想动态" in page.content.decode()


def test_s1_talks_are_scoped(client, org):
    services.talk_triggers_ensure()
    client.force_login(org.reviewer)
    response = client.post(
        reverse("selfcheck:talks"),
        {
            "officer": org.officer_b.number,  # not in the reviewer's subtree
            "talker": org.cadre_a.number,
            "talked_on": "2026-01-05",
            "trigger": TalkTrigger.objects.first().pk,
            "points": "p",
        },
    )
    assert response.status_code == 200  # form error: not a valid choice
    client.force_login(org.officer_a.user)
    assert client.get(reverse("selfcheck:talks")).status_code == 403
