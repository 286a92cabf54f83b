"""Forms only validate; the views hand cleaned data to leads.services."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.forms import OfficerPickerField, ScopedForm
from rectify.models import Office
from rectify.params import ID_MAX
from rectify.widgets import LimitedTextarea

from ..models import (
    Channel,
    DispositionForm,
    LeadCategory,
    LeadConclusion,
    LeadRoute,
    SignatureRole,
)
from ..services.attachments import ACCEPT as ATTACHMENT_ACCEPT
from ..services.attachments import AttachmentError, check_upload
from ..services.common import DEADLINE_IN_PAST, RECEIVED_IN_FUTURE

if TYPE_CHECKING:
    import datetime as dt

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads
# Stated maximum lengths of free text (the counter shows them; the form refuses more).
TEXT_MAX = 5000
NOTE_MAX = 2000
TEXT_TOO_LONG = _("“%(label)s”最多%(max)s字，现为%(n)s字，请删减后再提交")
SPLIT = re.compile(r"[、，,;；\s]+")
SUBJECT_NAME_MAX = 100  # LeadSubject.name


def clean_subject_text(value: str) -> str:
    """Each name or number typed as a subject fits the register's field (a clear error, not
    a failed save)."""
    too_long = [t for t in SPLIT.split(value or "") if len(t) > SUBJECT_NAME_MAX]
    if too_long:
        raise forms.ValidationError(
            _("每个被反映人的姓名或警号不能超过 %(n)s 个字") % {"n": SUBJECT_NAME_MAX}
        )
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by leads.services.attachments.check_upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if len(cleaned) > settings.LEADS_ATTACHMENTS_PER_LEAD:
            raise forms.ValidationError(
                _("一次最多上传 %(n)s 个附件") % {"n": settings.LEADS_ATTACHMENTS_PER_LEAD}
            )
        errors = []
        for upload in cleaned:
            try:
                check_upload(upload)
            except AttachmentError as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def attachment_help() -> str:
    return _(
        "PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）或文本（.txt），"
        "单个文件不超过 %(size)s，每条线索最多 %(n)s 个；可一次选择多个文件"
    ) % {
        "size": filesizeformat(settings.LEADS_ATTACHMENT_MAX_BYTES),
        "n": settings.LEADS_ATTACHMENTS_PER_LEAD,
    }


class RegisterForm(forms.Form):
    office = forms.ModelChoiceField(label=_("受理办公室"), queryset=Office.objects.none())
    received_date = forms.DateField(label=_("受理日期"), widget=DATE, initial=timezone.localdate)
    channel = forms.ModelChoiceField(
        label=_("线索来源"), queryset=Channel.objects.filter(is_active=True)
    )
    category = forms.ChoiceField(label=_("问题类别"), choices=LeadCategory.choices)
    summary = forms.CharField(
        label=_("反映内容摘要"), max_length=TEXT_MAX, widget=LimitedTextarea(attrs={"rows": 5})
    )
    subjects = forms.CharField(
        label=_("被反映人"),
        required=False,
        max_length=500,
        help_text=_("警号或姓名，多人用顿号分隔；在册干警自动匹配，未匹配的按姓名记录"),
    )
    subject_unit_text = forms.CharField(
        label=_("被反映人单位（不在册时填写）"), required=False, max_length=200
    )
    reporter_anonymous = forms.BooleanField(label=_("匿名举报"), required=False, initial=True)
    reporter_name = forms.CharField(label=_("反映人姓名"), required=False, max_length=100)
    reporter_contact = forms.CharField(label=_("联系方式"), required=False, max_length=100)
    attachments = MultipleFileField(label=_("附件"), required=False)

    def __init__(
        self, *args, offices: QuerySet[Office] | None = None, keeps_reporter: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if keeps_reporter:
            # A public report keeps what the reporter chose to give (stored encrypted): it is
            # carried over as is, never shown here (only the audited reveal shows it).
            for name in ("reporter_anonymous", "reporter_name", "reporter_contact"):
                del self.fields[name]
        self.fields["attachments"].help_text = attachment_help()
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()
        # L3: as the summary or subjects are typed, htmx asks for likely duplicates.
        screen = {
            "hx-get": reverse_lazy("leads:similar"),
            "hx-target": "#similar-leads",
            "hx-swap": "outerHTML",
            "hx-include": "[name=summary],[name=subjects],[name=exclude]",
        }
        self.fields["summary"].widget.attrs.update(
            screen, **{"hx-trigger": "keyup changed delay:700ms, change"}
        )
        self.fields["subjects"].widget.attrs.update(screen, **{"hx-trigger": "change"})
        if offices is not None and len(offices) == 1:
            self.fields["office"].initial = offices[0].pk
            self.fields["office"].empty_label = None

    def clean_received_date(self) -> dt.date:
        day = self.cleaned_data["received_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(RECEIVED_IN_FUTURE)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "reporter_anonymous" not in self.fields:
            return data
        if not data.get("reporter_anonymous") and not data.get("reporter_name"):
            self.add_error("reporter_name", _("实名举报须填写反映人姓名"))
        return data

    def clean_subjects(self) -> str:
        return clean_subject_text(self.cleaned_data.get("subjects", ""))

    def subject_tokens(self) -> list[str]:
        return [t for t in SPLIT.split(self.cleaned_data.get("subjects") or "") if t]


class DetailsForm(forms.Form):
    """Edit a registered lead's summary, category and subjects (each change is recorded)."""

    category = forms.ChoiceField(label=_("问题类别"), choices=LeadCategory.choices)
    summary = forms.CharField(
        label=_("反映内容摘要"), max_length=5000, widget=LimitedTextarea(attrs={"rows": 6})
    )
    subjects = forms.CharField(
        label=_("被反映人"),
        required=False,
        max_length=500,
        help_text=_("警号或姓名，多人用顿号分隔；在册干警自动匹配，未匹配的按姓名记录"),
    )
    subject_unit_text = forms.CharField(
        label=_("被反映人单位（不在册时填写）"), required=False, max_length=200
    )

    def clean_subjects(self) -> str:
        return clean_subject_text(self.cleaned_data.get("subjects", ""))

    def subject_tokens(self) -> list[str]:
        return [t for t in SPLIT.split(self.cleaned_data.get("subjects") or "") if t]


class PublicReportForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("向哪个办公室反映"),
        queryset=Office.objects.order_by("short_name"),
        empty_label=_("请选择"),
    )
    # Nothing preselected: the reporter chooses (a preselected first category was kept as is).
    category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", _("请选择问题类别"))] + list(LeadCategory.choices)
    )
    subject = forms.CharField(label=_("被反映人姓名"), required=False, max_length=100)
    subject_unit = forms.CharField(label=_("被反映人单位"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("反映的问题"),
        min_length=10,
        max_length=5000,
        widget=LimitedTextarea(attrs={"rows": 8}),
        help_text=_("请写明时间、地点、人物、事实经过，越具体越便于核查"),
    )
    reporter_name = forms.CharField(label=_("您的姓名（可不填）"), required=False, max_length=100)
    reporter_contact = forms.CharField(
        label=_("联系方式（可不填）"), required=False, max_length=100
    )
    attachment = forms.FileField(
        label=_("证据材料（可不传）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )
    # A honeypot for robots: humans never see or fill it.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _(
            "一个文件：PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）或文本（.txt），不超过 %(size)s。"
            "文件名不会保存；文件本身（如照片的拍摄信息、文档的作者）可能含有您的个人信息，"
            "如需匿名请先处理"
        ) % {"size": filesizeformat(settings.LEADS_ATTACHMENT_MAX_BYTES)}

    def clean_attachment(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload, anonymise=True)
            except AttachmentError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40)


class ReporterMessageForm(ReceiptForm):
    text = forms.CharField(label=_("补充说明或留言"), max_length=2000, widget=LimitedTextarea)


class RateForm(ReceiptForm):
    rating = forms.TypedChoiceField(
        label=_("对办理情况的评价"),
        coerce=int,
        choices=[(5, _("满意")), (3, _("基本满意")), (1, _("不满意"))],
    )


class TransferForm(forms.Form):
    body = forms.CharField(label=_("接收机关"), max_length=200, initial=_("纪委监委"))
    date = forms.DateField(label=_("移交日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=NOTE_MAX, widget=LimitedTextarea
    )


class TransferFeedbackForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("反馈结论"), choices=LeadConclusion.choices)
    feedback = forms.CharField(label=_("反馈内容"), max_length=TEXT_MAX, widget=LimitedTextarea)


class AssignForm(ScopedForm):
    route = forms.ChoiceField(label=_("处置方式"), choices=LeadRoute.choices)
    unit = forms.IntegerField(label=_("承办单位"), min_value=1, max_value=ID_MAX)
    handler = OfficerPickerField(
        label=_("承办人"),
        scope="active",
        out_of_scope=_("“%(text)s”不是在职干警，不能承办"),
        help_text=_("输入警号或姓名，从列表中选择"),
    )
    deadline = forms.DateField(label=_("办理期限"), widget=DATE)
    # A deadline before today makes the lead overdue at once: a second, explicit submit.
    confirm_past_deadline = forms.BooleanField(
        label=_("确认办理期限早于今天（线索将立即显示逾期）"), required=False
    )
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=NOTE_MAX, widget=LimitedTextarea
    )
    # Needed only when the handler has conflicts (leads.rules.conflicts); recorded with the
    # assignment.
    override_reason = forms.CharField(
        label=_("仍然交办的理由"),
        required=False,
        max_length=1000,
        widget=LimitedTextarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        deadline = data.get("deadline")
        if deadline and deadline < timezone.localdate() and not data.get("confirm_past_deadline"):
            self.add_error("deadline", DEADLINE_IN_PAST)
        return data


class MergeForm(forms.Form):
    into = forms.CharField(label=_("主线索编号"), max_length=40, required=False)
    # Set by the 并入此线索 button of the duplicate panel (the main lead may be chosen there
    # without typing its number).
    into_id = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=ID_MAX
    )
    reason = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("into_id") and not (data.get("into") or "").strip():
            self.add_error("into", _("请填写主线索编号"))
        return data


class BoundedTextField(forms.CharField):
    """Free text within a stated limit: longer is refused with the limit and the count
    (TEXT_TOO_LONG), never cut. Optional and unstripped: whether it may be empty is the
    service's rule (REASON_REQUIRED, EMPTY_TEXT), shown as that service's refusal."""

    def __init__(self, *, limit: int, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.limit = limit
        # Stated like any CharField's (tests/selfcheck/test_limits.py reads max_length), but
        # checked by `validate` with the count, not by Django's MaxLengthValidator.
        self.max_length = limit

    def validate(self, value: str) -> None:
        super().validate(value)
        if len(value) > self.limit:
            raise forms.ValidationError(
                TEXT_TOO_LONG,
                code="too_long",
                params={"label": self.label, "max": self.limit, "n": len(value)},
            )


class ActionReasonForm(forms.Form):
    """The reason posted with 暂存待查 and 予以了结 (the page draws its own textarea)."""

    reason = BoundedTextField(label=_("理由"), limit=NOTE_MAX)


class ReplyPostForm(forms.Form):
    """The reply posted to the reporter (ReplyForm draws the box)."""

    text = BoundedTextField(label=_("答复举报人"), limit=NOTE_MAX)


class SignForm(forms.Form):
    """签字背书: which part the signer signs for, and why despite conflicts (if any)."""

    role = forms.ChoiceField(
        label=_("签字身份"),
        choices=SignatureRole.choices,
        error_messages={"invalid_choice": _("签字身份无效"), "required": _("签字身份无效")},
    )
    override_reason = BoundedTextField(label=_("仍然签字的理由"), limit=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=NOTE_MAX, widget=LimitedTextarea)


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            ("note", _("办理进展")),
            ("verification", _("核查")),
            ("consultation", _("会商")),
            ("supervision", _("督办")),
            ("risk", _("风险研判")),
        ],
    )
    participants = forms.CharField(label=_("参加人员（会商必填）"), required=False, max_length=500)
    text = forms.CharField(label=_("内容"), max_length=TEXT_MAX, widget=LimitedTextarea)
    conclusion = forms.CharField(
        label=_("会商结论（会商必填）"),
        required=False,
        max_length=NOTE_MAX,
        widget=LimitedTextarea(attrs={"rows": 2}),
    )


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("办理结论"), choices=LeadConclusion.choices)
    disposition_form = forms.ChoiceField(
        label=_("处理形态（查实时）"),
        choices=[("", "—")] + list(DispositionForm.choices),
        required=False,
    )
    dealt_with = forms.CharField(
        label=_("处理人员及处理情况（查实时）"),
        required=False,
        max_length=TEXT_MAX,
        widget=LimitedTextarea(attrs={"rows": 3}),
        help_text=_("每人一行：姓名、职务、处理方式，例如“张三，副庭长，诫勉谈话”"),
    )
    result = forms.CharField(
        label=_("办理结果"), max_length=TEXT_MAX, widget=LimitedTextarea(attrs={"rows": 5})
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复举报人"), max_length=NOTE_MAX, widget=LimitedTextarea)


class AttachmentUploadForm(forms.Form):
    files = MultipleFileField(label=_("上传附件"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = attachment_help()


class AttachmentRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("删除理由"), max_length=1000, widget=LimitedTextarea(attrs={"rows": 3})
    )
