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

# Reports to the superior and 通报 (O7)
from .reports import (  # noqa: E402
    Bulletin,
    BulletinReceipt,
    BulletinStatus,
    Report,
    ReportStatus,
    ReportSubmission,
    SubmissionStatus,
)

__all__ += [
    "Bulletin",
    "BulletinReceipt",
    "BulletinStatus",
    "Report",
    "ReportStatus",
    "ReportSubmission",
    "SubmissionStatus",
]
