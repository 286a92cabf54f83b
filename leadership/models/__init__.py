"""leadership's models, one module per part (policy; supervision; reports and 通报)."""

from .policy import CampaignPolicy, ReportPeriod

__all__ = ["CampaignPolicy", "ReportPeriod"]

# --- supervision (O1) ---
from .supervision import (  # noqa: E402
    OPEN_ORDER_STATUSES,
    Instruction,
    InstructionStatus,
    OrderStatus,
    ReplyState,
    SupervisionAbout,
    SupervisionOrder,
    SupervisionReply,
    SupervisionSequence,
)

__all__ += [
    "OPEN_ORDER_STATUSES",
    "Instruction",
    "InstructionStatus",
    "OrderStatus",
    "ReplyState",
    "SupervisionAbout",
    "SupervisionOrder",
    "SupervisionReply",
    "SupervisionSequence",
]
