"""Forms of leadership: input validation only (cross-object rules live in the services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.params import validate_date_range

# --- supervision (O1) ---


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderForm(forms.Form):
    content = forms.CharField(
        label=_("督办事项"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    requirement = forms.CharField(
        label=_("督办要求"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("请于期限内将办理情况书面回复。"),
    )
    deadline = forms.DateField(
        label=_("回复期限"), widget=_date_widget(), validators=[validate_date_range]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))


class InstructionForm(forms.Form):
    text = forms.CharField(
        label=_("批示内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    person = forms.CharField(
        label=_("批示对象（警号，可不填）"),
        max_length=40,
        required=False,
        help_text=_("填写主送单位干警的警号/工号，批示将同时送达本人"),
    )
    deadline = forms.DateField(
        label=_("办理期限（可不填）"),
        required=False,
        widget=_date_widget(),
        validators=[validate_date_range],
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("回复内容"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=500)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("办理情况"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


def form_errors(form: forms.Form) -> str:
    """All errors of a bound form in one line, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error}" if label else str(error))
    return "；".join(parts)
