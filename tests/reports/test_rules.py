"""Weighted scoring and thresholds at their edges, what each grade suggests, the 80/20 figures and
the risk rules on small hand-computed sets."""

from decimal import Decimal

import pytest

from crmweb.reports.rules import (
    Grade,
    Risk,
    RiskLimits,
    Signals,
    Thresholds,
    grade_of,
    proposed_from_complaints,
    proposed_from_rank,
    proposed_from_satisfaction,
    risks,
    weighted_total,
)

D = Decimal
STANDARD = Thresholds(D(85), D(70), D(55))


def test_the_weighted_mean_of_the_scores():
    # (90×3 + 60×1 + 75×2) / 6 = 480 / 6 = 80.0
    assert weighted_total({1: D(90), 2: D(60), 3: D(75)}, {1: D(3), 2: D(1), 3: D(2)}) == D("80.0")
    assert weighted_total({1: D(70), 2: D(71)}, {1: D(1), 2: D(2)}) == D("70.7")  # 70.666… rounds up
    with pytest.raises(ValueError):
        weighted_total({1: D(90)}, {1: D(1), 2: D(1)})  # an indicator left out


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.A),
        ("85.0", Grade.A),
        ("84.9", Grade.B),
        ("70", Grade.B),
        ("69.9", Grade.C),
        ("55", Grade.C),
        ("54.9", Grade.D),
        ("0", Grade.D),
    ],
)
def test_grades_at_their_thresholds(total, grade):
    assert grade_of(D(total), STANDARD) == grade


def test_thresholds_must_fall_in_order():
    assert STANDARD.valid()
    assert not Thresholds(D(70), D(70), D(50)).valid() and not Thresholds(D(101), D(70), D(50)).valid()


def test_what_the_archive_proposes():
    assert proposed_from_rank(0.8) == 80 and proposed_from_rank(1.2) == 100
    assert proposed_from_satisfaction(5) == 100 and proposed_from_satisfaction(3) == 50
    assert proposed_from_satisfaction(1) == 0
    assert [proposed_from_complaints(n) for n in (0, 1, 4, 9)] == [100, 75, 0, 0]


def signals(**changes):
    base = dict(
        days_since_purchase=10,
        days_since_contact=10,
        this_quarter=D(100),
        last_quarter=D(100),
        latest_satisfaction=5,
        open_complaints=0,
    )
    return Signals(**{**base, **changes})


def test_the_risk_rules_at_their_edges():
    limits = RiskLimits()
    assert risks(signals(), limits) == []
    assert risks(signals(days_since_purchase=89), limits) == []
    assert risks(signals(days_since_purchase=90), limits) == [Risk.NO_PURCHASE]
    assert risks(signals(days_since_contact=None), limits) == [Risk.NO_CONTACT]
    assert risks(signals(this_quarter=D(50)), limits) == []  # exactly half is not falling
    assert risks(signals(this_quarter=D("49.99")), limits) == [Risk.FALLING]
    assert risks(signals(last_quarter=D(0), this_quarter=D(0)), limits) == []
    assert risks(signals(latest_satisfaction=2, open_complaints=1), limits) == [
        Risk.UNHAPPY,
        Risk.OPEN_COMPLAINT,
    ]
