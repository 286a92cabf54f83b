"""Every free-text input has a stated maximum and refuses more with an error (issue 9, 10).

"6,000 characters pasted into a self-check item were autosaved (✓ 已自动保存), submitted and
stored as exactly 5,000": nothing may be cut silently, autosave included.
"""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.urls import reverse

from rectify.models import ChronicProblem
from selfcheck import services
from selfcheck.models import ReportVersion, SelfCheckReport, VersionAnswer

from .conftest import post_data, submit

ITEM = ChronicProblem.INTERFERENCE


def _with_details(text: str) -> dict:
    return post_data(yes=(ITEM,), extra={f"item-{ITEM}-details": text})


@pytest.mark.django_db
def test_it_refuses_6000_characters_on_autosave_and_does_not_say_saved(client, org):
    client.force_login(org.officer_a.user)
    client.post(reverse("selfcheck:my_report_autosave"), _with_details("旧"))
    response = client.post(reverse("selfcheck:my_report_autosave"), _with_details("字" * 6000))
    page = response.content.decode()
    assert response.status_code == 422
    assert "已自动保存" not in page
    assert "未保存" in page and "最多5000字，现为6000字" in page
    draft = SelfCheckReport.objects.get().draft
    assert draft["answers"][ITEM]["details"] == "旧"  # the last good draft, not a cut one


@pytest.mark.django_db
def test_it_refuses_6000_characters_on_submit_and_stores_nothing_cut(client, org):
    client.force_login(org.officer_a.user)
    response = client.post(reverse("selfcheck:my_report_submit"), _with_details("字" * 6000))
    assert response.status_code == 422
    assert "第1项“具体情况”最多5000字，现为6000字" in response.content.decode()
    assert not ReportVersion.objects.exists()
    report = SelfCheckReport.objects.get()
    assert report.status == "draft"
    assert not any(
        len(a.get("details", "")) == 5000 for a in report.draft.get("answers", {}).values()
    )


@pytest.mark.django_db
def test_it_keeps_5000_characters_whole_counting_a_line_break_once(client, org):
    text = ("字" * 99 + "\r\n") * 50  # 50 × (99 + 1) = 5,000 characters as the browser counts
    client.force_login(org.officer_a.user)
    saved = client.post(reverse("selfcheck:my_report_autosave"), _with_details(text))
    assert saved.status_code == 200 and "已自动保存" in saved.content.decode()
    assert (
        client.post(reverse("selfcheck:my_report_submit"), _with_details(text)).status_code == 302
    )
    details = VersionAnswer.objects.get(key=ITEM).details
    assert details == text.replace("\r\n", "\n").strip()
    assert len(details) == 4999  # the final line break is trimmed like any outer whitespace


@pytest.mark.django_db
def test_it_refuses_an_over_long_business_row_field(client, org):
    row = {"relation": "spouse", "name": "王" * 101, "enterprise": "某公司"}
    client.force_login(org.officer_a.user)
    data = post_data(yes=(ChronicProblem.BUSINESS,), business=[row])
    response = client.post(reverse("selfcheck:my_report_autosave"), data)
    assert response.status_code == 422
    assert "第2项第1行“姓名”最多100字，现为101字" in response.content.decode()


@pytest.mark.django_db
def test_it_states_every_limit_on_the_self_check_form(client, org):
    client.force_login(org.officer_a.user)
    page = client.get(reverse("selfcheck:my_report")).content.decode()
    assert page.count('maxlength="5000"') >= len(ChronicProblem.values)
    assert "最多 5000 字" in page  # stated in text without JavaScript
    assert "/static/js/limits.js" in page  # the live counter
    assert 'maxlength="4000"' in page  # the question box


@pytest.mark.django_db
def test_it_refuses_over_long_texts_in_the_services_instead_of_cutting(org):
    report = submit(org.officer_a, org.campaign).report
    with pytest.raises(services.SelfCheckError, match="最多4000字"):
        services.question_ask(report=report, text="问" * 4001, actor=org.officer_a.user)
    question = services.question_ask(report=report, text="问" * 4000, actor=org.officer_a.user)
    assert len(question.text) == 4000
    with pytest.raises(services.SelfCheckError, match="最多4000字"):
        services.question_answer(question=question, text="答" * 4001, actor=org.reviewer)
    with pytest.raises(services.SelfCheckError, match="最多2000字"):
        services.report_return(report=report, actor=org.reviewer, reason="因" * 2001)
    case = services.warning_case_create(
        unit=org.district_a,
        title="案例",
        body="内容",
        lesson="",
        category="",
        actor=org.office_staff,
    )
    with pytest.raises(services.SelfCheckError, match="最多300字"):
        services.warning_case_decide(case=case, approve=True, actor=org.chief, note="意" * 301)


FORM_MODULES = ["leads.forms.lead", "leads.forms.oversight", "selfcheck.forms", "rectify.forms"]
NOT_FREE_TEXT = (forms.HiddenInput, forms.PasswordInput)
# Django gives the login name its max_length in __init__; clean_username enforces it
# (tests/test_bad_input.py::test_it_refuses_an_over_long_login_name_before_authenticating).
LIMIT_SET_AT_INIT = {"LoginForm.username"}


def test_it_gives_every_free_text_form_field_a_maximum_length():
    missing = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            if form.__module__ != module_name:
                continue  # imported, e.g. Django's AuthenticationForm
            for field_name, field in form.base_fields.items():
                if not isinstance(field, forms.CharField) or isinstance(
                    field.widget, NOT_FREE_TEXT
                ):
                    continue
                if field.max_length is None and f"{name}.{field_name}" not in LIMIT_SET_AT_INIT:
                    missing.append(f"{module_name}.{name}.{field_name}")
    assert not missing, "free text without a stated maximum: " + ", ".join(missing)
