from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .access import officers_visible_to
from .models import AuditVerb, Officer
from .params import id_value, validate_date_range

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.core.files.uploadedfile import UploadedFile
    from django.forms.renderers import BaseRenderer
    from django.utils.safestring import SafeString

    from rectify.models import AnyUser


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或警号"), required=False, max_length=100)
    unit = forms.CharField(label=_("单位代码"), required=False, max_length=40)
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
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("动作代码"), required=False, max_length=100)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        validators=[validate_date_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        validators=[validate_date_range],
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

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）")
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("initial_password") or ""
        if data.get("create_accounts") and password and len(password) < 10:
            self.add_error("initial_password", _("初始密码至少 10 位（留空则随机生成）"))
        return data


# --- the officer picker -----------------------------------------------------------------
# People (承办人, 督办领导, 被问责人, talk partners) are chosen with one field: a text box that
# takes a 警号 or a name without JavaScript, and with htmx lists matches (name, number,
# unit) to pick from. The list and the validation use the SAME scope function, looked up
# by name in OFFICER_SCOPES, so the search can never offer whom the form would refuse.

OfficerScope = Callable[[Any], QuerySet[Officer]]
OFFICER_SCOPES: dict[str, OfficerScope] = {}
PICKER_LIMIT = 20


PICKER_UNKNOWN = _("找不到该警号或姓名（“%(text)s”）的干警：须为您管辖范围内的干警")
PICKER_AMBIGUOUS = _("有 %(n)s 名干警叫“%(text)s”，请改填警号或从列表中选择：%(names)s")
PICKER_STALE = _("所选干警已不在可选范围内，请重新选择")


def register_officer_scope(name: str, scope: OfficerScope) -> OfficerScope:
    """Make `scope(user) -> Officer queryset` available to pickers and the search view."""
    OFFICER_SCOPES[name] = scope
    return scope


def _active_officers(user: AnyUser) -> QuerySet[Officer]:
    return officers_visible_to(user).filter(is_active=True)


def _active_cadres(user: AnyUser) -> QuerySet[Officer]:
    return officers_visible_to(user).filter(is_active=True, is_leading_cadre=True)


# Generic scopes; apps may add their own with register_officer_scope.
register_officer_scope("active", _active_officers)
register_officer_scope("cadres", _active_cadres)
register_officer_scope("all", officers_visible_to)  # inactive too (e.g. 被问责人 who left)


def officer_label(officer: Officer) -> str:
    return f"{officer.name} · {officer.number} · {officer.unit.name}"


def officer_search(
    *, user: AnyUser, scope: str, text: str, limit: int = PICKER_LIMIT
) -> list[Officer]:
    """At most `limit` officers of the scope whose number starts with, or whose name or
    unit name contains, `text` (numbers first, then by unit and name)."""
    text = (text or "").strip()[:40]
    if not text:
        return []
    qs = OFFICER_SCOPES[scope](user).filter(
        Q(number__startswith=text) | Q(name__contains=text) | Q(unit__name__contains=text)
    )
    return list(qs.select_related("unit").order_by("unit__path", "name", "number")[:limit])


class OfficerPickerWidget(forms.Widget):
    """A text box (警号 or name) plus a hidden id set when a match is picked with htmx."""

    template_name = "rectify/partials/_officer_picker.html"

    def __init__(self, *, scope: str = "active", attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.scope = scope

    def format_value(self, value: Any) -> dict[str, str]:
        if isinstance(value, Officer):
            return {"id": str(value.pk), "text": value.number, "chosen": officer_label(value)}
        if isinstance(value, dict):
            return {"id": value.get("id") or "", "text": value.get("text") or "", "chosen": ""}
        return {"id": "", "text": "" if value is None else str(value), "chosen": ""}

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> dict[str, str]:
        return {"id": data.get(f"{name}_id", ""), "text": data.get(name, "")}

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return name not in data and f"{name}_id" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        wid = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = wid
        widget["wid"] = wid
        widget["scope"] = self.scope
        widget["search_url"] = reverse("rectify:officer_pick")
        widget["vals"] = json.dumps(
            {
                "scope": self.scope,
                "field": name,
                "wid": wid,
                "required": "1" if widget["required"] else "",
            }
        )
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        # The project's template dirs, not the form renderer's (which sees only app dirs).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class OfficerPickerField(forms.Field):
    """An Officer chosen from `scope` (a name in OFFICER_SCOPES): by the picked id, or by a
    typed 警号 or unique name. Errors say whether the entry is unknown, ambiguous, or visible
    but outside this field's scope (`out_of_scope` says why, e.g. 须为在职领导干部)."""

    widget = OfficerPickerWidget

    def __init__(self, *, scope: str = "active", out_of_scope: str | None = None, **kwargs) -> None:
        kwargs.setdefault("widget", OfficerPickerWidget(scope=scope))
        super().__init__(**kwargs)
        self.scope = scope
        self.out_of_scope = out_of_scope or _("“%(text)s”不在可选范围内")
        self.user = None  # set by ScopedForm

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> Officer | str | None:
        if isinstance(value, Officer):
            return value
        value = value if isinstance(value, dict) else {"id": "", "text": value or ""}
        text = str(value.get("text") or "").strip()
        pk = str(value.get("id") or "").strip()
        if not text and not pk:
            return None
        if self.user is None:
            raise ImproperlyConfigured("OfficerPickerField needs a ScopedForm(user=...)")
        scope = OFFICER_SCOPES[self.scope](self.user).select_related("unit")
        if id_value(pk) is not None:
            officer = scope.filter(pk=id_value(pk)).first()
            # A typed change after picking wins over the stale hidden id.
            if officer is not None and text in ("", officer.number, officer.name):
                return officer
            if officer is None and not text:
                raise forms.ValidationError(PICKER_STALE, code="stale")
        by_number = scope.filter(number=text).first()
        if by_number is not None:
            return by_number
        named = list(scope.filter(name=text).order_by("unit__path", "number")[:6])
        if len(named) == 1:
            return named[0]
        if named:
            names = "、".join(officer_label(o) for o in named[:5])
            raise forms.ValidationError(
                PICKER_AMBIGUOUS,
                code="ambiguous",
                params={"n": len(named) if len(named) < 6 else "多", "text": text, "names": names},
            )
        # Visible to the user but not eligible here: say why (no existence leak: visible).
        if officers_visible_to(self.user).filter(Q(number=text) | Q(name=text)).exists():
            raise forms.ValidationError(self.out_of_scope, code="scope", params={"text": text})
        raise forms.ValidationError(PICKER_UNKNOWN, code="unknown", params={"text": text})

    def has_changed(self, initial: Any, data: Mapping[str, Any]) -> bool:
        initial_pk = str(initial.pk) if isinstance(initial, Officer) else str(initial or "")
        return (data or {}).get("id", "") != initial_pk


class ScopedForm(forms.Form):
    """A form whose officer pickers validate against the requesting user's scope."""

    def __init__(self, *args, user: AnyUser | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, OfficerPickerField):
                field.user = user


class OtpCodeForm(forms.Form):
    """A code from the authenticator app (6 digits) or a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        error_messages={"max_length": _("验证码最多 20 个字符。"), "required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class OtpResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"),
        max_length=500,
        error_messages={
            "max_length": _("重置原因最多 500 字。"),
            "required": _("请填写重置原因。"),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：手机遗失，经本人当面核实身份。原因记入审计日志。"),
    )


class LoginForm(AuthenticationForm):
    """Django sets the username's max_length after the field is built, so no validator
    enforces it and a 6,000-character name reached authenticate() (and the lockout table's
    255-character column: a 500 on PostgreSQL). Refuse it as a form error instead."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""
        limit = self.fields["username"].max_length or 150
        if len(username) > limit:
            raise forms.ValidationError(
                _("用户名最多%(max)s个字符。") % {"max": limit}, code="max_length"
            )
        return username
