from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .audit import audit_record
from .models import AuditEvent, AuditVerb, Campaign, Office, Officer, RoleAssignment, Unit, User

admin.site.site_header = _("查纠整改工作平台 · 管理后台")
admin.site.site_title = _("管理后台")


class AuditedAdminMixin:
    """Changes made in the admin go to the audit trail like every other change."""

    def save_model(self, request, obj, form, change):
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

    def save_formset(self, request, form, formset, change):
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

    def delete_model(self, request, obj):
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

    def delete_queryset(self, request, queryset):
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


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit", "office"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("安全"), {"fields": ("must_change_password",)}))
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    inlines = [RoleAssignmentInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind", "level", "is_active")
    search_fields = ("name", "code")
    list_filter = ("kind", "level", "is_active")
    raw_id_fields = ("primary_responsible", "direct_responsible")


@admin.register(Officer)
class OfficerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "name", "unit", "position", "is_leading_cadre", "is_active")
    search_fields = ("number", "name")
    list_filter = ("is_leading_cadre", "is_active")
    raw_id_fields = ("unit", "user")
    list_select_related = ("unit",)


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "host_unit", "jurisdiction")
    search_fields = ("name", "short_name")
    raw_id_fields = ("host_unit", "jurisdiction")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "unit", "office", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    raw_id_fields = ("user", "unit", "office")
    list_select_related = ("user", "unit", "office")


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "is_current", "selfcheck_start", "cadre_deadline", "selfcheck_deadline")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched here but never edited or deleted."""

    list_display = ("id", "at", "actor_repr", "verb", "action", "object_type", "object_id")
    list_filter = ("verb",)
    search_fields = ("actor_repr", "action", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
