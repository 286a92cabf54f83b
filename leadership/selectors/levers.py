"""The figures of the three levers for one unit's subtree, from the maintained counters
(`rectify.figures`): one definition of every rate, shared by the dashboard, the periodic
report and the 通报, so the numbers agree everywhere.

Counter keys (each app's FigureSource writes them; see rectify/figures.py):
  sc.expected sc.submitted sc.accepted sc.returned sc.on_time sc.late
  sc.cadre_expected sc.cadre_submitted sc.cadre_accepted sc.cadre_returned sc.cadre_on_time
  sc.cadre_late sc.yes:<answer key>
  ld.received ld.pending ld.screened ld.handling ld.concluded ld.crossed_off ld.overdue
  ld.merged ld.listed ld.transferred ld.self_declared ld.found ld.dealt ld.dealt:<form>
  ld.category:<category> ld.channel:<channel code>
  rm.items rm.open rm.rectified rm.accepted rm.overdue rm.rules rm.rotations
  rm.survey_answers rm.survey_satisfied rm.matters rm.matters_done
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rectify import figures

from ..models import CampaignPolicy

if TYPE_CHECKING:
    from rectify.models import AnyUser, Campaign, Unit


def pct(part: int, whole: int) -> float | None:
    """A rate in percent with one decimal, None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Levers:
    unit: Unit
    counts: Counter = field(default_factory=Counter)

    def __getitem__(self, key: str) -> int:
        return int(self.counts.get(key, 0))

    # self-check (S1–S7)
    @property
    def filing_rate(self) -> float | None:
        return pct(self["sc.submitted"], self["sc.expected"])

    @property
    def cadre_filing_rate(self) -> float | None:
        return pct(self["sc.cadre_submitted"], self["sc.cadre_expected"])

    @property
    def declared(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("sc.yes:"))

    # leads (L1–L12): 查结率 = 办结 ÷ 受理, as offices count it
    @property
    def closure_rate(self) -> float | None:
        return pct(self["ld.concluded"], self["ld.received"])

    # remediation (R1–R8, O4–O5)
    @property
    def accepted_rate(self) -> float | None:
        return pct(self["rm.accepted"], self["rm.items"])

    @property
    def satisfaction_rate(self) -> float | None:
        return pct(self["rm.survey_satisfied"], self["rm.survey_answers"])

    @property
    def matters_rate(self) -> float | None:
        return pct(self["rm.matters_done"], self["rm.matters"])

    @property
    def overdue(self) -> int:
        return self["sc.late"] + self["ld.overdue"] + self["rm.overdue"]

    def sub(self, prefix: str) -> dict[str, int]:
        """The sub-keys of a family: sub("sc.yes:") -> {"1": 3, ...}."""
        return {k[len(prefix) :]: v for k, v in self.counts.items() if k.startswith(prefix)}


def light(rate: float | None, green: int, red: int) -> str:
    """ "ok", "warn" or "danger" (the CSS tones), "" when there is no rate."""
    if rate is None:
        return ""
    if rate >= green:
        return "ok"
    return "danger" if rate < red else "warn"


def lights(levers: Levers, policy: CampaignPolicy) -> dict[str, str]:
    overdue = levers.overdue
    return {
        "filing": light(levers.filing_rate, policy.filing_green, policy.filing_red),
        "closure": light(levers.closure_rate, policy.closure_green, policy.closure_red),
        "accepted": light(levers.accepted_rate, policy.accepted_green, policy.accepted_red),
        "overdue": "danger"
        if overdue > policy.overdue_red
        else ("warn" if overdue > policy.overdue_amber else "ok"),
    }


def unit_levers(user: AnyUser, campaign: Campaign, unit: Unit) -> Levers:
    """The unit's subtree, less what the user may not see (recusal)."""
    return Levers(unit=unit, counts=figures.totals_for(user, campaign, unit))


def child_levers(user: AnyUser, campaign: Campaign, unit: Unit, children: list[Unit]) -> list:
    """Each child's subtree (one grouped query for all of them), in the order given."""
    by_branch = figures.child_totals_for(user, campaign, unit)
    return [Levers(unit=c, counts=by_branch.get(c.path, Counter())) for c in children]
