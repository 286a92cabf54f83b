"""The campaign's thresholds and report period (督导设置); red ≤ green is the model's rule
(CampaignPolicy.clean), which a ModelForm runs and shows by the field."""

from __future__ import annotations

from django import forms

from ..models import CampaignPolicy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CampaignPolicy
        fields = [
            "report_period",
            "filing_green",
            "filing_red",
            "closure_green",
            "closure_red",
            "accepted_green",
            "accepted_red",
            "overdue_amber",
            "overdue_red",
        ]
