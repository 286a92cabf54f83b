from django.contrib import admin

from .models import RemediationPolicy


@admin.register(RemediationPolicy)
class RemediationPolicyAdmin(admin.ModelAdmin):
    """The campaign's bar for condition (2): minimum answers and average satisfaction."""

    list_display = ("campaign", "survey_min_responses", "survey_threshold", "rotation_years")
    list_editable = ("survey_min_responses", "survey_threshold")
