from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    """The leaders' side (O1, O2, O7): dashboards over the three levers' maintained figures,
    supervision orders (督办单) and instructions (批示), periodic reports and 通报."""

    name = "leadership"
    verbose_name = _("领导督导")

    def ready(self) -> None:
        # Registers the tasks that leadership.services.reports names (RUN_TASK).
        from . import tasks  # noqa: F401
