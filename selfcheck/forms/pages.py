"""The Django forms of the self-check pages other than the report form (input validation
only). The report form is data-driven and parsed in `forms.draft`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm, register_officer_scope
from rectify.models import ChronicProblem, Officer, Unit
from rectify.params import ID_MAX
from rectify.widgets import LimitedTextarea

from .. import access as rules
from ..errors import TALK_DATE_FUTURE
from ..models import AnswerKind, ReportStatus, TalkTrigger


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名/警号"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ReportStatus.choices
    )
    unit = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    cadre = forms.ChoiceField(
        label=_("领导干部"),
        required=False,
        choices=[("", _("全部")), ("1", _("仅领导干部")), ("0", _("一般干警"))],
    )
    yes_item = forms.ChoiceField(label=_("申报“是”的事项"), required=False)
    late = forms.BooleanField(label=_("仅逾期"), required=False)

    def __init__(
        self, *args: object, columns: list[tuple[str, str]] = (), **kwargs: object
    ) -> None:
        """`columns`: (key, label) of the six items and the N items of the reviewer's scope
        (selectors.item_columns), so an N item filters like the six."""
        super().__init__(*args, **kwargs)
        self.fields["yes_item"].choices = [("", _("不限")), *columns]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=2000, widget=LimitedTextarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("咨询问题"), max_length=4000, widget=LimitedTextarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("答复"), max_length=4000, widget=LimitedTextarea(attrs={"rows": 2})
    )


class ItemConfigForm(forms.Form):
    unit = forms.ChoiceField(label=_("适用单位（含下级）"))
    text = forms.CharField(label=_("自查事项"), max_length=300)
    help_text = forms.CharField(label=_("填写说明"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("回答方式"), choices=AnswerKind.choices)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=10)

    def __init__(self, *args: object, units: Iterable[Unit] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, "　" * (u.depth - 1) + u.name) for u in units]


def _talk_partners(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Officer]:
    return rules.talk_officers_visible_to(user)


# Talk partners come from the keeper's subtree (S1); the picker lists and validates with this
# scope. Registered at import: the URL conf imports selfcheck.views, hence this module,
# before the picker's search view can be asked for it.
register_officer_scope("talk_partners", _talk_partners)


class TalkForm(ScopedForm):
    """A talk record. Both people are chosen with the shared officer picker: the talk
    partner from the keeper's subtree, the talker among the active officers they may see
    (a superior talker sits above the subtree more often than not)."""

    officer = OfficerPickerField(
        label=_("谈话对象"),
        scope="talk_partners",
        out_of_scope=_("“%(text)s”不在您负责谈心谈话的范围内"),
    )
    talker = OfficerPickerField(label=_("谈话人"), scope="active")
    talked_on = forms.DateField(
        label=_("谈话日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    trigger = forms.ModelChoiceField(
        label=_("谈话情形（六必谈）"), queryset=TalkTrigger.objects.filter(is_active=True)
    )
    points = forms.CharField(
        label=_("谈话要点"), max_length=5000, widget=LimitedTextarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=_("后续跟进"),
        required=False,
        max_length=2000,
        widget=LimitedTextarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["talked_on"].widget.attrs["max"] = today.isoformat()

    def clean_talked_on(self) -> dt.date:
        day = self.cleaned_data["talked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(TALK_DATE_FUTURE)
        return day


class TalkCorrectForm(TalkForm):
    reason = forms.CharField(
        label=_("更正原因"), max_length=500, widget=LimitedTextarea(attrs={"rows": 2})
    )


class WarningCaseForm(forms.Form):
    unit = forms.ChoiceField(label=_("发布范围（含下级）"))
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(
        label=_("问题类别"), required=False, choices=[("", "—")] + ChronicProblem.choices
    )
    body = forms.CharField(
        label=_("案例内容"), max_length=10000, widget=LimitedTextarea(attrs={"rows": 6})
    )
    lesson = forms.CharField(
        label=_("警示启示"),
        required=False,
        max_length=2000,
        widget=LimitedTextarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, units: Iterable[Unit] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, "　" * (u.depth - 1) + u.name) for u in units]
