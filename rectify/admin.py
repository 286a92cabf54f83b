from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AuditEvent, Campaign, Office, Officer, RoleAssignment, Unit, User

admin.site.site_header = _("查纠整改工作平台 · 管理后台")
admin.site.site_title = _("管理后台")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit", "office"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("安全"), {"fields": ("must_change_password",)}))
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    inlines = [RoleAssignmentInline]


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind", "level", "is_active")
    search_fields = ("name", "code")
    list_filter = ("kind", "level", "is_active")
    raw_id_fields = ("primary_responsible", "direct_responsible")


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "unit", "position", "is_leading_cadre", "is_active")
    search_fields = ("number", "name")
    list_filter = ("is_leading_cadre", "is_active")
    raw_id_fields = ("unit", "user")
    list_select_related = ("unit",)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "host_unit", "jurisdiction")
    search_fields = ("name", "short_name")
    raw_id_fields = ("host_unit", "jurisdiction")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "office", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    raw_id_fields = ("user", "unit", "office")
    list_select_related = ("user", "unit", "office")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
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
