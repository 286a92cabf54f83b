"""The shared officer picker (rectify.forms.OfficerPickerField and the htmx search): the
list and the validation use one scope function, so no officer outside the user's scope is
listed or accepted; typed numbers and names work without JavaScript; clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.forms import AccountabilityForm, AssignForm, JurisdictionForm, ListSupervisionForm
from rectify.forms import (
    PICKER_LIMIT,
    PICKER_STALE,
    PICKER_UNKNOWN,
    OfficerPickerField,
    ScopedForm,
)
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PICK = reverse("rectify:officer_pick")


class HandlerForm(ScopedForm):
    handler = OfficerPickerField(scope="active", out_of_scope="“%(text)s”不是在职干警")


class CadreForm(ScopedForm):
    leader = OfficerPickerField(scope="cadres", out_of_scope="“%(text)s”不是在职领导干部")


def _search(client, text, *, scope="active", field="handler"):
    return client.get(PICK, {"scope": scope, "field": field, "wid": "x-handler", field: text})


def test_it_accepts_a_typed_number_or_a_unique_name_without_javascript(org):
    form = HandlerForm({"handler": "A001"}, user=org.office_staff)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["handler"] == org.officer_a
    form = HandlerForm({"handler": " 李四 "}, user=org.office_staff)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["handler"] == org.officer_a2


def test_it_accepts_the_picked_id_and_a_typed_change_wins_over_it(org):
    picked = {"handler": org.officer_a.number, "handler_id": str(org.officer_a.pk)}
    form = HandlerForm(picked, user=org.office_staff)
    assert form.is_valid() and form.cleaned_data["handler"] == org.officer_a
    # The user picked 张三 and then typed 李四's number: the typed text counts.
    changed = {"handler": "A002", "handler_id": str(org.officer_a.pk)}
    form = HandlerForm(changed, user=org.office_staff)
    assert form.is_valid() and form.cleaned_data["handler"] == org.officer_a2


def test_it_refuses_unknown_out_of_scope_and_ambiguous_entries_in_chinese(org):
    form = HandlerForm({"handler": "NOPE"}, user=org.office_staff)
    assert not form.is_valid()
    assert "找不到该警号或姓名（“NOPE”）的干警" in form.errors["handler"][0]
    # 王五 (B001) of the other district exists but is outside office_a's scope: same answer
    # as for a missing officer, by number, by name and by a forged picked id.
    for text in ("B001", "王五"):
        form = HandlerForm({"handler": text}, user=org.office_staff)
        assert form.errors["handler"] == [PICKER_UNKNOWN % {"text": text}]
    form = HandlerForm({"handler_id": str(org.officer_b.pk)}, user=org.office_staff)
    assert form.errors["handler"] == [PICKER_STALE]
    form = HandlerForm({"handler_id": "999999"}, user=org.office_staff)
    assert form.errors["handler"] == [PICKER_STALE]
    OfficerFactory(unit=org.police_a, name="张三", number="A555")
    form = HandlerForm({"handler": "张三"}, user=org.office_staff)
    assert not form.is_valid()
    error = form.errors["handler"][0]
    assert "有 2 名干警叫“张三”" in error and "A001" in error and "A555" in error
    # Visible but not eligible for this field: says why.
    form = CadreForm({"leader": "A001"}, user=org.office_staff)
    assert not form.is_valid() and form.errors["leader"] == ["“A001”不是在职领导干部"]
    retired = OfficerFactory(unit=org.court_a, name="钱退休", number="A777", is_active=False)
    form = HandlerForm({"handler": retired.number}, user=org.office_staff)
    assert form.errors["handler"] == ["“A777”不是在职干警"]
    form = HandlerForm({"handler": ""}, user=org.office_staff)
    assert form.errors["handler"] == ["这个字段是必填项。"]


def test_it_searches_by_name_number_and_unit_within_the_users_scope_only(client, org):
    client.force_login(org.office_staff)
    page = _search(client, "A0").content.decode()
    assert "张三" in page and "李四" in page and "王五" not in page
    assert "甲区法院" in page  # the unit is shown to tell namesakes apart
    assert "王五" not in _search(client, "王五").content.decode()
    assert "王五" not in _search(client, "B001").content.decode()
    assert "孙承办" in _search(client, "甲区公安分局").content.decode()
    assert "没有匹配的干警" in _search(client, "王五").content.decode()
    # The cadre scope lists only leading cadres.
    page = _search(client, "A", scope="cadres").content.decode()
    assert "赵院长" in page and "张三" not in page
    # The other district's office sees its own officer, not ours.
    client.force_login(org.outsider)
    page = _search(client, "A0").content.decode()
    assert "张三" not in page and "李四" not in page


def test_it_lists_at_most_the_limit_and_says_there_are_more(client, org):
    for i in range(PICKER_LIMIT + 5):
        OfficerFactory(unit=org.court_a, name=f"同名{i:02d}", number=f"T{i:03d}")
    client.force_login(org.office_staff)
    page = _search(client, "同名").content.decode()
    assert page.count('class="officer-picker-option"') == PICKER_LIMIT
    assert "只列出前 20 名" in page


def test_it_picks_only_officers_in_scope_and_answers_404_otherwise(client, org):
    client.force_login(org.office_staff)
    params = {"scope": "active", "field": "handler", "wid": "x-handler"}
    page = client.get(PICK, {**params, "pick": org.officer_a.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="handler_id"' in html and f'value="{org.officer_a.pk}"' in html
    assert 'value="A001"' in html and "已选：张三 · A001 · 甲区法院" in html
    assert client.get(PICK, {**params, "pick": org.officer_b.pk}).status_code == 404
    assert client.get(PICK, {**params, "pick": 999999}).status_code == 404
    # Garbage is a 400, never a 500; unknown scopes are refused.
    assert client.get(PICK, {**params, "pick": "x"}).status_code == 400
    assert client.get(PICK, {**params, "scope": "nope"}).status_code == 400
    assert client.get(PICK, {**params, "wid": '"><script>'}).status_code == 400
    client.logout()
    assert client.get(PICK, {**params, "q": "A"}).status_code == 302


def test_it_puts_the_picker_on_handler_supervisor_and_accountability_fields(org):
    for form, name in (
        (AssignForm(), "handler"),
        (ListSupervisionForm(), "supervisor"),
        (JurisdictionForm(), "handler"),
        (AccountabilityForm(), "officer"),
    ):
        assert isinstance(form.fields[name], OfficerPickerField), (form, name)
        html = str(form[name])
        assert PICK in html and f'name="{name}_id"' in html


def test_l4_assign_by_typed_name_and_clear_error_for_an_outsider(client, org, register):
    lead = register()
    client.force_login(org.office_staff)
    url = reverse("leads:assign", args=[lead.pk])
    data = {
        "route": "verification",
        "unit": org.police_a.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    response = client.post(url, {**data, "handler": "王五"}, follow=True)
    text = response.content.decode()
    assert "找不到该警号或姓名（“王五”）的干警" in text
    lead.refresh_from_db()
    assert lead.handler is None
    client.post(url, {**data, "handler": "孙承办"})
    lead.refresh_from_db()
    assert lead.handler == org.handler


def test_l6_supervisor_picked_by_name_must_be_a_leading_cadre(client, org, assigned):
    lead = assigned()
    client.force_login(org.office_staff)
    url = reverse("leads:supervision_list", args=[lead.pk])
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(url, {"supervisor": "张三", "deadline": deadline}, follow=True)
    assert "不是在职领导干部" in response.content.decode()
    lead.refresh_from_db()
    assert lead.supervisor is None
    client.post(url, {"supervisor": "赵院长", "deadline": deadline})
    lead.refresh_from_db()
    assert lead.supervisor == org.cadre_a
