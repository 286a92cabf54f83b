"""Forms of the oversight pages (L6, L7, L10, L11): input validation only; the rules that
involve other objects (leading cadre, unit subtree, deadlines, recusal) are in
leads.services, so commands and tests get the same checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm
from rectify.params import ID_MAX
from rectify.widgets import LimitedTextarea

from ..models import AccountabilityMeasure, JurisdictionKind, RiskLevel
from .lead import NOTE_MAX, TEXT_MAX

# <input type=date> reads only ISO dates: without the format the locale's 2026/12/17 came
# out and the browser showed an empty field.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = LimitedTextarea(attrs={"rows": 3})


def form_errors(form: forms.Form) -> str:
    """All errors of a bound form in one line, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error}" if label else str(error))
    return "；".join(parts)


class ListSupervisionForm(ScopedForm):
    supervisor = OfficerPickerField(
        label=_("督办领导"),
        scope="cadres",
        out_of_scope=_("“%(text)s”不是在职领导干部：督办领导须为在职领导干部"),
        help_text=_("须为在职领导干部；输入警号或姓名，从列表中选择"),
    )
    deadline = forms.DateField(label=_("督办期限"), widget=DATE)
    note = forms.CharField(label=_("督办要求"), required=False, max_length=NOTE_MAX, widget=TEXT)


class UnlistSupervisionForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=NOTE_MAX, widget=TEXT)


class SupervisionNoteForm(forms.Form):
    text = forms.CharField(label=_("督办意见"), max_length=NOTE_MAX, widget=TEXT)


class JurisdictionForm(ScopedForm):
    kind = forms.ChoiceField(label=_("变更方式"), choices=JurisdictionKind.choices)
    unit = forms.IntegerField(label=_("新承办单位"), min_value=1, max_value=ID_MAX)
    handler = OfficerPickerField(
        label=_("新承办人"),
        scope="active",
        out_of_scope=_("“%(text)s”不是在职干警，不能承办"),
        required=False,
        help_text=_("须为新承办单位（含下级）的在职干警；可稍后指定"),
    )
    deadline = forms.DateField(
        label=_("新办理期限"), required=False, widget=DATE, help_text=_("不填则沿用原期限")
    )
    reason = forms.CharField(label=_("变更理由"), max_length=NOTE_MAX, widget=TEXT)
    override_reason = forms.CharField(
        label=_("回避情形说明"),
        required=False,
        max_length=1000,
        widget=LimitedTextarea(attrs={"rows": 2}),
        help_text=_("所选承办人存在需要回避的情形、确需交办时填写"),
    )


class RiskNoteForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    text = forms.CharField(label=_("研判意见"), max_length=TEXT_MAX, widget=TEXT)
    measures = forms.CharField(
        label=_("防控措施（预案）"), required=False, max_length=TEXT_MAX, widget=TEXT
    )


class AccountabilityForm(ScopedForm):
    officer = OfficerPickerField(
        label=_("被问责人（在册干警）"),
        scope="all",
        required=False,
        help_text=_("在册干警输入警号或姓名选择；不在册的填下方姓名"),
    )
    person_name = forms.CharField(label=_("被问责人姓名"), max_length=100, required=False)
    unit = forms.IntegerField(label=_("被问责单位"), required=False, min_value=1, max_value=ID_MAX)
    measure = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityMeasure.choices)
    reason = forms.CharField(label=_("问责事由"), max_length=TEXT_MAX, widget=TEXT)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("officer")
            and "officer" not in self.errors
            and not (data.get("person_name") or "").strip()
        ):
            self.add_error("officer", _("请填写被问责人警号或姓名"))
        return data
