"""S5 "六+N": N items configured per unit inherit down the subtree, are validated by kind,
and a change never alters a submitted version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selfcheck import services

from .conftest import FakePost, post_data, submit

pytestmark = pytest.mark.django_db


def test_s5_n_items_inherit_down_the_subtree(org):
    services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text="是否违规使用警车",
        help_text="",
        kind="yesno",
        order=1,
        actor=org.office_staff,
    )
    keys_station = [
        i.label for i in services.form_items(officer=org.officer_a2, campaign=org.campaign)
    ]
    keys_court = [
        i.label for i in services.form_items(officer=org.officer_a, campaign=org.campaign)
    ]
    assert "是否违规使用警车" in keys_station and len(keys_station) == 7
    assert "是否违规使用警车" not in keys_court and len(keys_court) == 6


def test_s5_config_change_does_not_alter_a_submitted_version(client, org):
    item = services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text="原事项",
        help_text="",
        kind="yesno",
        order=1,
        actor=org.office_staff,
    )
    version = submit(org.officer_a2, org.campaign, extra={f"item-{item.key}-yes": "no"})
    client.force_login(org.office_staff)
    services.item_config_update(item=item, actor=org.office_staff, text="改过的事项", kind="text")
    client.post(reverse("selfcheck:items"), {"toggle": item.pk})
    item.refresh_from_db()
    assert item.is_active is False
    version.refresh_from_db()
    labels = [i["label"] for i in version.content["items"]]
    assert "原事项" in labels and "改过的事项" not in labels
    assert version.answers.get(key=item.key).label == "原事项"
    client.force_login(org.reviewer)
    assert (
        "原事项"
        in client.get(reverse("selfcheck:report_detail", args=[version.report_id])).content.decode()
    )


def test_s5_text_and_date_n_items_are_validated(org):
    t = services.item_config_create(
        campaign=org.campaign,
        unit=org.district_a,
        text="本人岗位廉政风险点",
        help_text="",
        kind="text",
        order=1,
        actor=None,
    )
    d = services.item_config_create(
        campaign=org.campaign,
        unit=org.district_a,
        text="最近一次廉政谈话日期",
        help_text="",
        kind="date",
        order=2,
        actor=None,
    )
    items = services.form_items(officer=org.officer_a, campaign=org.campaign)
    errors = services.draft_errors(services.draft_from_post(FakePost(post_data()), items), items)
    assert errors[t.key] == ["第7项为必填：请填写"] and errors[d.key] == ["第8项请填写有效日期"]
