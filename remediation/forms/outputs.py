"""Forms of rules (R7), rotations (R8) and meetings (O3). Items and leads are chosen by
their numbers, resolved only among what the user may see (an invisible number reads as
unknown); officers through the shared officer picker."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.access import units_visible_to
from rectify.forms import OfficerPickerField, ScopedForm
from rectify.params import validate_date_range

from ..access import (
    OUTPUT_READER_ROLES,
    rule_revision_choices,
    visible_items_by_number,
    visible_leads_by_number,
)
from ..models import MeetingKind, RotationKind, Rule, RuleStatus

NUMBERS_MAX = 50
UNKNOWN_ITEMS = _("找不到以下整改问题编号（或不在您的查看范围内）：%(numbers)s")
UNKNOWN_LEADS = _("找不到以下线索编号（或不在您的查看范围内）：%(numbers)s")
TOO_MANY_NUMBERS = _("一次最多关联 %(max)s 个编号")
DATE_IN_FUTURE = _("日期不能晚于今天")
PARTICIPANTS_MAX = 8
UNIT_OUT_OF_SCOPE = _("请选择您管辖范围内的单位")

_SPLIT = re.compile(r"[\s,，、;；]+")


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[validate_date_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("请输入有效的日期（如 2026-03-01）"),
            "required": _("请填写日期"),
        },
    )


def split_numbers(text: str) -> list[str]:
    seen: list[str] = []
    for part in _SPLIT.split(text or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part[:40])
    return seen


class _UnitForm(ScopedForm):
    """A unit chosen among those the user holds `unit_roles` over."""

    unit_roles: tuple = OUTPUT_READER_ROLES
    unit_fields: tuple = ("unit",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = list(units_visible_to(self.user, self.unit_roles).order_by("path")[:500])
        self._units = {str(u.pk): u for u in units}
        choices = [("", "—")] + [(str(u.pk), f"{'　' * (u.depth - 1)}{u.name}") for u in units]
        for name in self.unit_fields:
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = UNIT_OUT_OF_SCOPE

    def _clean_unit_named(self, name: str) -> object:
        value = self.cleaned_data.get(name)
        unit = self._units.get(str(value))
        if unit is None:
            raise forms.ValidationError(UNIT_OUT_OF_SCOPE)
        return unit


class _ItemNumbersMixin:
    def clean_item_numbers(self) -> list:
        numbers = split_numbers(self.cleaned_data.get("item_numbers", ""))  # type: ignore[attr-defined]
        if len(numbers) > NUMBERS_MAX:
            raise forms.ValidationError(TOO_MANY_NUMBERS % {"max": NUMBERS_MAX})
        found = visible_items_by_number(self.user, numbers)  # type: ignore[attr-defined]
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(UNKNOWN_ITEMS % {"numbers": "、".join(missing)})
        return [found[n] for n in numbers]


# --- rules -----------------------------------------------------------------------------------


class RuleForm(_ItemNumbersMixin, _UnitForm):
    unit_roles = ("office",)

    title = forms.CharField(
        label=_("制度名称"),
        max_length=200,
        error_messages={"required": _("请填写制度名称"), "max_length": _("制度名称最多 200 字")},
    )
    unit = forms.ChoiceField(label=_("制定单位"), error_messages={"required": _("请选择制定单位")})
    issued_on = _date_field(_("印发日期"), required=False)
    summary = forms.CharField(
        label=_("主要内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revises = forms.ChoiceField(label=_("修订的原制度"), required=False)
    item_numbers = forms.CharField(
        label=_("对应整改问题编号"),
        required=False,
        max_length=2000,
        help_text=_("多个编号以逗号、顿号或空格分隔；只能关联您可查看的整改问题"),
    )
    document = forms.FileField(label=_("制度文件"), required=False)

    def __init__(self, *args: Any, rule: Rule | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rule is not None and rule.status != RuleStatus.DRAFT:
            # What was issued stays as issued; only the item links may still change.
            for name in list(self.fields):
                if name != "item_numbers":
                    del self.fields[name]
            self._revisable = {}
            return
        self._revisable = {str(r.pk): r for r in rule_revision_choices(self.user)}
        if rule is not None:
            del self.fields["unit"]  # a rule stays with the unit that made it
        if rule is not None and rule.revises is not None:
            self._revisable[str(rule.revises.pk)] = rule.revises
        self.fields["revises"].choices = [("", _("（新制定）"))] + [
            (pk, f"{r.title}（{r.unit.name}，{r.issued_on or ''}）")
            for pk, r in self._revisable.items()
        ]

    def clean_unit(self) -> object:
        return self._clean_unit_named("unit")

    def clean_revises(self) -> Rule | None:
        value = self.cleaned_data.get("revises")
        if not value:
            return None
        rule = self._revisable.get(str(value))
        if rule is None:
            raise forms.ValidationError(_("所选原制度不存在或不能修订"))
        return rule

    def clean_issued_on(self) -> object:
        day = self.cleaned_data.get("issued_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return day


# --- rotations -------------------------------------------------------------------------------


class RotationForm(_UnitForm):
    unit_roles = ("office",)
    unit_fields = ("to_unit",)

    officer = OfficerPickerField(
        label=_("干警"),
        scope="active",
        error_messages={"required": _("请选择交流轮岗的干警")},
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=RotationKind.choices, error_messages={"required": _("请选择类型")}
    )
    to_unit = forms.ChoiceField(label=_("新单位"), error_messages={"required": _("请选择新单位")})
    to_post = forms.CharField(
        label=_("新岗位"),
        max_length=100,
        error_messages={"required": _("请填写新岗位"), "max_length": _("岗位名称最多 100 字")},
    )
    effective_date = _date_field(_("生效日期"))
    reason = forms.CharField(
        label=_("事由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写交流轮岗事由")},
    )

    def clean_to_unit(self) -> object:
        return self._clean_unit_named("to_unit")


# --- meetings --------------------------------------------------------------------------------


class MeetingForm(_ItemNumbersMixin, _UnitForm):
    unit_roles = ("office", "leader")

    unit = forms.ChoiceField(label=_("主办单位"), error_messages={"required": _("请选择主办单位")})
    date = _date_field(_("会议日期"))
    kind = forms.ChoiceField(
        label=_("会商类型"),
        choices=MeetingKind.choices,
        error_messages={"required": _("请选择类型")},
    )
    title = forms.CharField(
        label=_("会议名称"),
        max_length=200,
        error_messages={"required": _("请填写会议名称"), "max_length": _("会议名称最多 200 字")},
    )
    other_participants = forms.CharField(
        label=_("其他参会人员"),
        required=False,
        max_length=500,
        help_text=_("系统外人员（如纪委监委、组织部同志），写明姓名和单位"),
        error_messages={"max_length": _("其他参会人员最多 500 字")},
    )
    decisions = forms.CharField(
        label=_("议定事项"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写议定事项")},
    )
    lead_numbers = forms.CharField(
        label=_("涉及线索编号"),
        required=False,
        max_length=2000,
        help_text=_("多个编号以逗号、顿号或空格分隔；只能关联您可查看的线索"),
    )
    item_numbers = forms.CharField(
        label=_("涉及整改问题编号"),
        required=False,
        max_length=2000,
        help_text=_("多个编号以逗号、顿号或空格分隔；只能关联您可查看的整改问题"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(PARTICIPANTS_MAX):
            field = OfficerPickerField(label=_("参会干警 %(n)s") % {"n": i + 1}, required=False)
            field.user = self.user
            self.fields[f"participant_{i}"] = field

    def participant_fields(self) -> list:
        return [self[f"participant_{i}"] for i in range(PARTICIPANTS_MAX)]

    def clean_unit(self) -> object:
        return self._clean_unit_named("unit")

    def clean_date(self) -> object:
        day = self.cleaned_data.get("date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return day

    def clean_lead_numbers(self) -> list:
        numbers = split_numbers(self.cleaned_data.get("lead_numbers", ""))
        if len(numbers) > NUMBERS_MAX:
            raise forms.ValidationError(TOO_MANY_NUMBERS % {"max": NUMBERS_MAX})
        found = visible_leads_by_number(self.user, numbers)
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(UNKNOWN_LEADS % {"numbers": "、".join(missing)})
        return [found[n] for n in numbers]

    def participants(self) -> list:
        chosen = []
        for i in range(PARTICIPANTS_MAX):
            officer = self.cleaned_data.get(f"participant_{i}")
            if officer is not None and officer not in chosen:
                chosen.append(officer)
        return chosen
