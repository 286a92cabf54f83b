"""leadership's models, one module per part (policy; supervision; reports and 通报)."""

from .policy import CampaignPolicy, ReportPeriod

__all__ = ["CampaignPolicy", "ReportPeriod"]
