"""The campaign's thresholds and report period (督导设置); red ≤ green is the model's rule
(CampaignPolicy.clean), which a ModelForm runs and shows by the field."""

from __future__ import annotations

from django import forms

from ..models import CampaignPolicy
from ..models.policy import POLICY_FIELDS


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CampaignPolicy
        fields = list(POLICY_FIELDS)
