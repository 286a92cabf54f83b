"""The campaign's thresholds and report period (督导设置)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from ..models import CampaignPolicy

PAIRS = (
    ("filing_red", "filing_green", "填报率"),
    ("closure_red", "closure_green", "查结率"),
    ("accepted_red", "accepted_green", "整改验收率"),
)


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

    def clean(self) -> dict:
        data = super().clean()
        for red, green, name in PAIRS:
            low, high = data.get(red), data.get(green)
            if low is not None and high is not None and low > high:
                self.add_error(red, _("%(name)s红灯阈值不能高于绿灯阈值。") % {"name": name})
        amber, red = data.get("overdue_amber"), data.get("overdue_red")
        if amber is not None and red is not None and amber > red:
            self.add_error("overdue_amber", _("逾期件数黄灯阈值不能高于红灯阈值。"))
        return data
