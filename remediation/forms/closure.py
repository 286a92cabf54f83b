"""Forms of closure and escalation (R5, R6): submitting for acceptance, returning, the
accountability record, the survey waiver and the escalation reason. Messages are Chinese
and shown next to their field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm
from rectify.models import AnyUser

from ..models import Disposition, ResponsibilityLevel

NOTE_MAX = 2000
REASON_MAX = 500
PERSON_NAME_MAX = 100

NEED_PERSON = _("请选择责任人，或填写其姓名")


def _text(label: str, max_length: int, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        error_messages={
            "required": _("请填写%(label)s") % {"label": label},
            "max_length": _("%(label)s最多 %(max)s 字") % {"label": label, "max": max_length},
        },
    )


class SubmitForm(forms.Form):
    """整改完成，提请验收: the unit says what was done."""

    note = _text(_("整改情况"), NOTE_MAX, rows=4)


class ReturnForm(forms.Form):
    """退回整改: the reason is kept on the attempt."""

    reason = _text(_("退回理由"), NOTE_MAX)


class AccountabilityForm(ScopedForm):
    """问责记录: a person (picked from the register, or a name), level, disposition."""

    officer = OfficerPickerField(
        label=_("责任人（从干警名册选择）"),
        scope="all",
        required=False,
    )
    person_name = forms.CharField(
        label=_("或填写姓名（名册外人员）"),
        max_length=PERSON_NAME_MAX,
        required=False,
        error_messages={"max_length": _("姓名最多 %(limit_value)s 字")},
    )
    level = forms.ChoiceField(
        label=_("责任类型"),
        choices=[("", "—")] + list(ResponsibilityLevel.choices),
        error_messages={
            "required": _("请选择责任类型"),
            "invalid_choice": _("责任类型无效"),
        },
    )
    disposition = forms.ChoiceField(
        label=_("处理方式（四种形态）"),
        choices=[("", "—")] + list(Disposition.choices),
        error_messages={
            "required": _("请选择处理方式"),
            "invalid_choice": _("处理方式无效"),
        },
    )
    detail = _text(_("处理情况"), NOTE_MAX, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "officer" not in self.errors and not data.get("officer") and not data.get("person_name"):
            self.add_error("person_name", NEED_PERSON)
        return data


class NoOneToBlameForm(forms.Form):
    """经查无责任人: the finding and its reason."""

    reason = _text(_("认定理由"), NOTE_MAX)


class WaiveSurveyForm(forms.Form):
    """免于群众验收 (a leader, with a reason)."""

    reason = _text(_("免于群众验收理由"), REASON_MAX)


class EscalateForm(forms.Form):
    """上报上级 (表现在基层、根子在上面)."""

    reason = _text(_("上报理由"), REASON_MAX)


def closure_forms(user: AnyUser, *, bound: dict | None = None) -> dict[str, forms.Form]:
    """Empty forms of the closure section, with `bound` (name → failed form) in place."""
    made: dict[str, forms.Form] = {
        "submit": SubmitForm(auto_id="cl-submit-%s"),
        "return": ReturnForm(auto_id="cl-return-%s"),
        "accountability": AccountabilityForm(auto_id="cl-acc-%s", user=user),
        "no_one_to_blame": NoOneToBlameForm(auto_id="cl-none-%s"),
        "waive_survey": WaiveSurveyForm(auto_id="cl-waive-%s"),
    }
    made.update(bound or {})
    return made
