"""Relationship evaluation (客户关系评估) and the analyses as pure functions: no Flask, no database.

Each indicator is scored 0–100 and weighted; the weighted mean is the total; the total falls into a
grade by the set's thresholds (A from a, B from b, C from c, else D); each grade suggests what to do
with the relationship. The risk rules say which clients may be slipping away, and why.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Advice(StrEnum):
    """What a grade suggests for the relationship."""

    MAINTAIN = "maintain"
    IMPROVE = "improve"
    END = "end"


class SetStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"  # the one in use
    RETIRED = "retired"  # replaced by a newer version; its evaluations keep it


class Source(StrEnum):
    """Where the archive can propose an indicator's score from."""

    NONE = ""
    PURCHASES = "purchases"  # the last 12 months' purchases, ranked among all clients
    SATISFACTION = "satisfaction"  # the mean satisfaction of the last 12 months' calls
    COMPLAINTS = "complaints"  # fewer complaints in 12 months, higher


DEFAULT_ADVICE = {
    Grade.A: Advice.MAINTAIN,
    Grade.B: Advice.MAINTAIN,
    Grade.C: Advice.IMPROVE,
    Grade.D: Advice.END,
}


@dataclass(frozen=True)
class Thresholds:
    a: Decimal
    b: Decimal
    c: Decimal

    def valid(self) -> bool:
        return Decimal(100) >= self.a > self.b > self.c >= 0


def weighted_total(scores: dict[int, Decimal], weights: dict[int, Decimal]) -> Decimal:
    """The weighted mean of the scores (every weighted indicator must be scored), to one decimal."""
    total_weight = sum(weights.values(), Decimal(0))
    if total_weight <= 0 or set(scores) != set(weights):
        raise ValueError("every weighted indicator needs its score")
    value = sum((scores[key] * weights[key] for key in weights), Decimal(0)) / total_weight
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_of(total: Decimal, thresholds: Thresholds) -> Grade:
    """A from the first threshold up, then B, then C; below the third, D."""
    if total >= thresholds.a:
        return Grade.A
    if total >= thresholds.b:
        return Grade.B
    if total >= thresholds.c:
        return Grade.C
    return Grade.D


# --- what the archive proposes ----------------------------------------------------------------


def proposed_from_rank(rank_share: float) -> int:
    """Purchases: the share of clients (0–1) this client's purchases are at or above."""
    return round(max(0.0, min(1.0, rank_share)) * 100)


def proposed_from_satisfaction(mean: float) -> int:
    """Satisfaction 1–5 on the calls → 0–100."""
    return round((max(1.0, min(5.0, mean)) - 1) / 4 * 100)


def proposed_from_complaints(count: int) -> int:
    """No complaint 100, each one a quarter less."""
    return max(0, 100 - 25 * count)


# --- at risk ---------------------------------------------------------------------------------


class Risk(StrEnum):
    NO_PURCHASE = "no_purchase"
    NO_CONTACT = "no_contact"
    FALLING = "falling"
    UNHAPPY = "unhappy"
    OPEN_COMPLAINT = "open_complaint"


@dataclass(frozen=True)
class Signals:
    days_since_purchase: int | None  # None: never bought
    days_since_contact: int | None
    this_quarter: Decimal
    last_quarter: Decimal
    latest_satisfaction: int | None
    open_complaints: int


@dataclass(frozen=True)
class RiskLimits:
    quiet_days: int = 90  # no purchase or contact this long
    falling_share: Decimal = Decimal("0.5")  # this quarter below half of the last
    unhappy_below: int = 3  # the latest satisfaction below this


def risks(signals: Signals, limits: RiskLimits) -> list[Risk]:
    found = []
    if signals.days_since_purchase is not None and signals.days_since_purchase >= limits.quiet_days:
        found.append(Risk.NO_PURCHASE)
    if signals.days_since_contact is None or signals.days_since_contact >= limits.quiet_days:
        found.append(Risk.NO_CONTACT)
    if signals.last_quarter > 0 and signals.this_quarter < signals.last_quarter * limits.falling_share:
        found.append(Risk.FALLING)
    if signals.latest_satisfaction is not None and signals.latest_satisfaction < limits.unhappy_below:
        found.append(Risk.UNHAPPY)
    if signals.open_complaints:
        found.append(Risk.OPEN_COMPLAINT)
    return found
