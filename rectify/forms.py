from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditVerb


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或警号"), required=False)
    unit = forms.CharField(label=_("单位代码"), required=False)
    cadre = forms.ChoiceField(
        label=_("领导干部"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
    )

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(name__contains=data["q"]) | Q(number__startswith=data["q"]))
        if data["unit"]:
            qs = qs.filter(unit__code=data["unit"].strip())
        if data["cadre"]:
            qs = qs.filter(is_leading_cadre=data["cadre"] == "1")
        return qs


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + list(AuditVerb.choices)
    )
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.CharField(label=_("动作代码"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["verb"]:
            qs = qs.filter(verb=data["verb"])
        if data["actor"]:
            qs = qs.filter(actor_repr=data["actor"].strip())
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"].strip())
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"].strip())
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"].strip())
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            start = dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz)
            qs = qs.filter(at__gte=start)
        if data["date_to"]:
            end = dt.datetime.combine(
                data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
            qs = qs.filter(at__lt=end)
        return qs


class OrgImportForm(forms.Form):
    file = forms.FileField(
        label=_("组织架构 Excel 文件（.xlsx）"),
        help_text=_(
            "单位表：单位代码、单位名称、单位类别、上级单位代码、层级；"
            "干警表：警号/工号、姓名、单位代码、职务、是否领导干部。"
        ),
    )
    dry_run = forms.BooleanField(label=_("仅校验，不保存"), required=False)
    create_accounts = forms.BooleanField(
        label=_("为尚无账号的干警创建登录账号（用户名为警号/工号）"), required=False
    )
    initial_password = forms.CharField(
        label=_("初始密码"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("至少 10 位；留空则随机生成并只显示一次。首次登录时必须修改。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）")
            )
        return upload

    def clean(self):
        data = super().clean()
        password = data.get("initial_password") or ""
        if data.get("create_accounts") and password and len(password) < 10:
            self.add_error("initial_password", _("初始密码至少 10 位（留空则随机生成）"))
        return data
