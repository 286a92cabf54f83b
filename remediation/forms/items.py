"""Input validation of remediation pages (cross-object rules live in the services)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm
from rectify.models import Officer
from rectify.params import validate_date_range

from ..models import EvidenceStatus, ItemKind, ItemOrigin, ItemStatus, MeasureStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from rectify.models import Unit


class QuickSelect(forms.Select):
    """A select drawn in one string join rather than one template per option: the ledger's
    unit filter lists up to UNIT_CHOICES_LIMIT units, and Django's option template made the
    filter form the most expensive part of the page (#14). Same markup, same escaping."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        chosen = (
            "" if value is None else str(value[0] if isinstance(value, list | tuple) else value)
        )
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == chosen else "", label)  # noqa: S308
                for v, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUBJECTS_MAX = 20
SUBJECTS_TOO_MANY = _("涉及人员最多 %(n)s 人")
DATES_REVERSED = _("完成时限不能早于开始日期")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE, validators=[validate_date_range]
    )


def _text(
    label: str, *, required: bool = False, max_length: int = 4000, rows: int = 3
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "　" * max(obj.depth - 1, 0) + obj.name


class PlanForm(ScopedForm):
    unit = UnitChoiceField(label=_("单位"), queryset=None)
    problem = forms.ChoiceField(label=_("顽瘴痼疾 / “N”项问题"))
    title = forms.CharField(label=_("方案名称"), max_length=200)
    goal = _text(_("整治目标"), required=True)
    measures = _text(_("主要措施"), rows=4)
    leader = OfficerPickerField(label=_("责任领导"), required=False, scope="active")
    start_date = _date(_("开始日期"))
    end_date = _date(_("完成时限"))
    document = forms.FileField(
        label=_("方案文件"),
        required=False,
        help_text=_("PDF、Word（.docx）、Excel（.xlsx）、图片或文本，大小有上限"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit] | None = None,
        problems: list[tuple[str, str]] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            del self.fields["problem"]
        else:
            self.fields["unit"].queryset = units
            self.fields["problem"].choices = [("", "——")] + list(problems or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", DATES_REVERSED)
        return data


class ItemForm(ScopedForm):
    description = _text(_("问题描述"), required=True, rows=4)
    kind = forms.ChoiceField(label=_("问题类型"), choices=ItemKind.choices)
    is_hotspot = forms.BooleanField(label=_("群众反映强烈的热点"), required=False)
    is_blocking = forms.BooleanField(label=_("制约执法司法的堵点"), required=False)
    is_difficulty = forms.BooleanField(label=_("影响“四化”建设的难点"), required=False)
    origin = forms.ChoiceField(label=_("问题来源"), choices=ItemOrigin.choices)
    cause_ideals = _text(_("理想信念方面"), rows=2)
    cause_purpose = _text(_("宗旨意识方面"), rows=2)
    cause_party_spirit = _text(_("党性修养方面"), rows=2)
    cause_discipline = _text(_("纪律观念方面"), rows=2)
    responsible_unit = UnitChoiceField(label=_("责任单位"), queryset=None)
    responsible_person = OfficerPickerField(label=_("责任人"), required=False, scope="active")
    deadline = _date(_("整改时限"))
    subjects = forms.CharField(
        label=_("涉及人员"),
        required=False,
        max_length=1000,
        help_text=_(
            "问题涉及的干警，填警号或姓名，多人以逗号或顿号分隔；涉及人员看不到本问题（回避）"
        ),
    )

    TAG_FIELDS = ("is_hotspot", "is_blocking", "is_difficulty")
    CAUSE_FIELDS = ("cause_ideals", "cause_purpose", "cause_party_spirit", "cause_discipline")

    def __init__(
        self, *args: Any, units: QuerySet[Unit], fixed_origin: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units
        if fixed_origin:  # generated from a lead or a declaration: the source decides
            del self.fields["origin"]
        else:  # the two sources with an object are generated from it, not chosen here
            self.fields["origin"].choices = [
                c for c in ItemOrigin.choices if c[0] not in (ItemOrigin.LEAD, ItemOrigin.SELFCHECK)
            ]

    def clean_subjects(self) -> list[Officer]:
        text = self.cleaned_data.get("subjects") or ""
        tokens = [t for t in re.split(r"[,，、;；\s]+", text) if t]
        if len(tokens) > SUBJECTS_MAX:
            raise forms.ValidationError(SUBJECTS_TOO_MANY % {"n": SUBJECTS_MAX})
        picker = OfficerPickerField(scope="all", required=False)
        picker.user = self.user
        officers: list[Officer] = []
        errors = []
        for token in tokens:
            try:
                officer = picker.clean({"id": "", "text": token})
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if officer is not None and officer not in officers:
                officers.append(officer)
        if errors:
            raise forms.ValidationError(errors)
        return officers

    @staticmethod
    def subjects_text(officers: list[Officer]) -> str:
        return "、".join(o.number for o in officers)


class MeasureForm(ScopedForm):
    text = _text(_("措施内容"), required=True, rows=2)
    owner = OfficerPickerField(label=_("责任人"), required=False, scope="active")
    deadline = _date(_("完成时限"))


class MeasureStatusForm(ScopedForm):
    status = forms.ChoiceField(label=_("状态"), choices=MeasureStatus.choices)


class MeasureNoteForm(forms.Form):
    text = _text(_("进展情况"), required=True, max_length=2000, rows=2)
    progress = forms.IntegerField(
        label=_("完成进度（%）"), required=False, min_value=0, max_value=100
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class EvidenceReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(EvidenceStatus.APPROVED, _("认可")), (EvidenceStatus.REJECTED, _("不予认可"))],
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=500)


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=_("编号/描述"), required=False, max_length=100)
    problem = forms.ChoiceField(label=_("问题"), required=False, widget=QuickSelect)
    unit = forms.ChoiceField(label=_("单位（含下级）"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("全部"))] + list(ItemKind.choices),
    )
    tag = forms.ChoiceField(
        label=_("标签"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("", _("全部")),
            ("hotspot", _("热点")),
            ("blocking", _("堵点")),
            ("difficulty", _("难点")),
        ],
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("全部"))] + list(ItemStatus.choices),
    )
    origin = forms.ChoiceField(
        label=_("来源"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("全部"))] + list(ItemOrigin.choices),
    )
    owner = forms.CharField(label=_("责任人警号"), required=False, max_length=40)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)

    def __init__(
        self, *args: Any, units: list[Unit], problems: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [("", _("全部"))] + [
            (str(u.pk), "　" * max(u.depth - 1, 0) + u.name) for u in units
        ]
        self.fields["problem"].choices = [("", _("全部"))] + [
            (v, label[:18]) for v, label in problems
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters (selectors.ledger.LedgerFilters' fields); a garbage value is
        dropped and the list still renders."""
        # Django keeps the valid fields in cleaned_data when others are invalid.
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "problem": data.get("problem") or "",
            "unit": self.units.get(data.get("unit") or ""),
            "kind": data.get("kind") or "",
            "tag": data.get("tag") or "",
            "status": data.get("status") or "",
            "overdue": bool(data.get("overdue")),
            "origin": data.get("origin") or "",
            "owner": (data.get("owner") or "").strip(),
            "q": (data.get("q") or "").strip(),
        }
