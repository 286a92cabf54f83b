from __future__ import annotations

from django.contrib import admin

from rectify.admin import AuditedAdminMixin

from .models import LeadImportVocabulary


@admin.register(LeadImportVocabulary)
class LeadImportVocabularyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("office",)
    raw_id_fields = ("office",)
