"""Forms of public commitments, the survey, practical matters and typical cases (O4–O6)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm
from rectify.models import Unit
from rectify.widgets import LimitedTextarea

from ..rules.surveys import BATCH_MAX, COMMENT_MAX


def _unit_choices(units: Iterable[Unit]) -> list[tuple[int, str]]:
    return [(u.pk, "　" * (u.depth - 1) + u.name) for u in units]


class UnitChoiceMixin:
    """A `unit` choice among the units the caller passes (the user's scope)."""

    def set_units(self, units: Iterable[Unit]) -> None:
        self.fields["unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]


class CommitmentForm(UnitChoiceMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    title = forms.CharField(label=_("承诺事项"), max_length=200)
    text = forms.CharField(
        label=_("承诺内容"), max_length=5000, widget=LimitedTextarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(
        label=_("承诺完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_published = forms.BooleanField(label=_("向社会公开"), required=False)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)


class CommitmentEditForm(forms.Form):
    title = forms.CharField(label=_("承诺事项"), max_length=200)
    text = forms.CharField(
        label=_("承诺内容"), max_length=5000, widget=LimitedTextarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(
        label=_("承诺完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_published = forms.BooleanField(label=_("向社会公开"), required=False)


class SurveyBatchForm(UnitChoiceMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    item_number = forms.CharField(
        label=_("整改问题编号（不填则为单位整体验收）"), max_length=40, required=False
    )
    size = forms.IntegerField(
        label=_("份数"),
        min_value=1,
        max_value=BATCH_MAX,
        error_messages={
            "min_value": _("份数至少为 1"),
            "max_value": _("每批最多 %(limit_value)s 份"),
            "invalid": _("请输入整数份数"),
        },
    )

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)


class SurveyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("验收码"),
        max_length=30,
        error_messages={"required": _("请输入纸条上的验收码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


SATISFACTION_CHOICES = [
    (5, _("5 非常满意")),
    (4, _("4 满意")),
    (3, _("3 基本满意")),
    (2, _("2 不太满意")),
    (1, _("1 不满意")),
]


class SurveyAnswerForm(SurveyCodeForm):
    satisfaction = forms.TypedChoiceField(
        label=_("您对整改结果的满意程度"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择满意程度（1–5）"),
            "invalid_choice": _("请选择满意程度（1–5）"),
        },
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        required=False,
        max_length=COMMENT_MAX,
        widget=LimitedTextarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


class MatterForm(UnitChoiceMixin, ScopedForm):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    title = forms.CharField(label=_("实事项目"), max_length=200)
    commitment = forms.CharField(
        label=_("承诺内容"), max_length=5000, widget=LimitedTextarea(attrs={"rows": 3})
    )
    owner = OfficerPickerField(label=_("责任人"), scope="active")
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    is_public = forms.BooleanField(label=_("向社会公开"), required=False)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)


class MatterCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("完成情况"),
        max_length=5000,
        widget=LimitedTextarea(attrs={"rows": 3}),
        error_messages={"required": _("办结须填写完成情况")},
    )
    evidence = forms.FileField(
        label=_("佐证材料"), error_messages={"required": _("办结须上传佐证材料")}
    )


MATTER_STATES = [
    ("", _("全部")),
    ("open", _("未办结")),
    ("overdue", _("已逾期")),
    ("done", _("已办结")),
]


class MatterFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=_("状态"), choices=MATTER_STATES, required=False)
    q = forms.CharField(label=_("搜索"), max_length=100, required=False)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部"))] + _unit_choices(units)


class TypicalCaseForm(UnitChoiceMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("发布单位"), coerce=int)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("案例内容"), max_length=10000, widget=LimitedTextarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("批准发布")), ("reject", _("不予发布"))],
        error_messages={"required": _("请选择审批结论"), "invalid_choice": _("请选择审批结论")},
    )
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)
