from django.contrib import admin

from .models import CampaignPolicy, ItemConfig, TalkTrigger


@admin.register(TalkTrigger)
class TalkTriggerAdmin(admin.ModelAdmin):
    """The "six must-talk" cases are configurable here."""

    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(CampaignPolicy)
class CampaignPolicyAdmin(admin.ModelAdmin):
    list_display = ("campaign",)


@admin.register(ItemConfig)
class ItemConfigAdmin(admin.ModelAdmin):
    list_display = ("text", "unit", "kind", "order", "is_active")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("unit",)
