from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from . import figures, otp
from .audit import audit_record
from .forms import OtpResetForm
from .models import AuditEvent, AuditVerb, Campaign, Office, Officer, RoleAssignment, Unit, User
from .services import role_refuse_self_assignment

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import Model, QuerySet
    from django.forms import ModelForm
    from django.forms.formsets import BaseFormSet
    from django.urls import URLPattern

admin.site.site_header = _("查纠整改工作平台 · 管理后台")
admin.site.site_title = _("管理后台")


class AuditedAdminMixin:
    """Changes made in the admin go to the audit trail like every other change."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if f not in ("password",)]
        audit_record(
            actor=request.user,
            verb=AuditVerb.CHANGE if change else AuditVerb.CREATE,
            action=f"{obj._meta.label_lower}.admin_{'changed' if change else 'created'}",
            target=obj,
            data={"fields": changed},
            request=request,
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
            audit_record(
                actor=request.user,
                verb=AuditVerb.CHANGE,
                action=f"{obj._meta.label_lower}.admin_changed",
                target=obj,
                request=request,
            )
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user,
                verb=AuditVerb.DELETE,
                action=f"{obj._meta.label_lower}.admin_deleted",
                object_type=obj._meta.label_lower,
                object_id=obj.pk or "",
                request=request,
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        label, pk = obj._meta.label_lower, obj.pk
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            verb=AuditVerb.DELETE,
            action=f"{label}.admin_deleted",
            object_type=label,
            object_id=pk,
            request=request,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        label = queryset.model._meta.label_lower
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        audit_record(
            actor=request.user,
            verb=AuditVerb.DELETE,
            action=f"{label}.admin_deleted",
            object_type=label,
            data={"ids": ids},
            request=request,
        )


# django-otp's own device admins would let anyone with admin access read TOTP secrets and
# add or delete devices without a recorded reason; devices are reset only through
# UserAdmin.otp_reset_view below.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


def _is_own_account(request: HttpRequest, user: User | None) -> bool:
    return user is not None and user.pk is not None and user.pk == request.user.pk


class RoleAssignmentInline(admin.TabularInline):
    """Roles on the account page; read-only on one's own account (nobody assigns a role
    to themselves)."""

    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit", "office"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _is_own_account(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _is_own_account(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _is_own_account(request, obj) and super().has_delete_permission(request, obj)


# Fields that grant power; on one's own account page they are read-only.
_PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("安全"), {"fields": ("must_change_password", "second_factor")}),
    )
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    inlines = [RoleAssignmentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = [*super().get_readonly_fields(request, obj), "second_factor"]
        if _is_own_account(request, obj):
            fields += list(_PRIVILEGE_FIELDS)
        return fields

    @admin.display(description=_("两步验证"))
    def second_factor(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        status = otp.otp_status_of(obj)
        state = (
            _("已启用（剩余恢复码 %(n)s 个）") % {"n": status.recovery_left}
            if status.enrolled
            else _("未启用")
        )
        if not status.enrolled:
            return state
        url = reverse("admin:rectify_user_otp_reset", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', state, url, _("重置"))

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "<int:object_id>/otp-reset/",
                self.admin_site.admin_view(self.otp_reset_view),
                name="rectify_user_otp_reset",
            )
        ]
        return extra + super().get_urls()

    def otp_reset_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Remove another account's second-factor devices, with a reason for the trail."""
        user = self.get_object(request, str(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = OtpResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                otp.otp_devices_reset(
                    user=user,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except otp.OtpError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("已重置 %(u)s 的两步验证，其下次登录时须重新绑定。") % {"u": user}
                )
                return redirect("admin:rectify_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("重置两步验证"),
            "opts": self.model._meta,
            "original": user,
            "form": form,
            "own_account": _is_own_account(request, user),
        }
        return render(
            request,
            "rectify/account_otp_reset.html",
            context,
            status=422 if form.errors else 200,
        )


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind", "level", "is_active")
    search_fields = ("name", "code", "aliases")
    list_filter = ("kind", "level", "is_active")
    raw_id_fields = ("primary_responsible", "direct_responsible")


@admin.register(Officer)
class OfficerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "name", "unit", "position", "is_leading_cadre", "is_active")
    search_fields = ("number", "name")
    list_filter = ("is_leading_cadre", "is_active")
    raw_id_fields = ("unit", "user")
    list_select_related = ("unit",)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        # The self-check counters of the unit the officer left and the one they are in.
        before = Officer.objects.filter(pk=obj.pk).values_list("unit_id", flat=True).first()
        super().save_model(request, obj, form, change)
        figures.touch("sc", [before, obj.unit_id])  # type: ignore[attr-defined]


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "host_unit", "jurisdiction")
    search_fields = ("name", "short_name")
    raw_id_fields = ("host_unit", "jurisdiction")

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "jurisdiction" in form.changed_data:  # where its leads count: recount them all
            figures.refresh(None, names=["ld"])


class RoleAssignmentAdminForm(forms.ModelForm):
    """Refuses (and audits) an assignment for the administrator's own account, whether
    new, moved to them, or an existing one of theirs being changed."""

    request: HttpRequest | None = None

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "office", "granted_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.request is not None:
            owners = [data.get("user")]
            if self.instance.pk is not None:
                owners.append(self.instance.user)
            for owner in owners:
                try:
                    role_refuse_self_assignment(
                        actor=self.request.user,
                        user=owner,
                        role=data.get("role", ""),
                        request=self.request,
                    )
                except ValidationError as exc:
                    raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = RoleAssignmentAdminForm

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form needs the acting administrator for its self-assignment check.
        return type(form.__name__, (form,), {"request": request})

    list_display = ("user", "role", "unit", "office", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    raw_id_fields = ("user", "unit", "office")
    list_select_related = ("user", "unit", "office")


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "is_current", "selfcheck_start", "cadre_deadline", "selfcheck_deadline")

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The counters are kept for the current campaign, and its deadlines decide "late".
        if {"is_current", "cadre_deadline", "selfcheck_deadline"} & set(form.changed_data):
            figures.rebuild()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched here but never edited or deleted."""

    list_display = ("id", "at", "actor_repr", "verb", "action", "object_type", "object_id")
    list_filter = ("verb",)
    search_fields = ("actor_repr", "action", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
