"""The gift plan's rules without an app: categories by archive, every refusal at its edge."""
from decimal import Decimal

import pytest

from crmweb.gifts import rules
from crmweb.gifts.rules import Category, Refusal, Room

ROOM = Room(value_cap=Decimal("300"), quota_left=1, budget_left=Decimal("1000"), stock_available=2)


def refusal(**changes):
    values = {"category": Category.VIP, "lost": False, "opted_out": False, "already_listed": False,
              "unit_value": Decimal("150"), "quantity": 2, "room": ROOM, **changes}
    return rules.allocation_refusal(**values)


@pytest.mark.parametrize("stage, tier, vip, expected", [
    ("customer", "key", "vip", Category.KEY), ("customer", "important", "vip", Category.VIP),
    ("prospect", "general", "none", Category.PROSPECT), ("customer", "general", "eligible", None)])
def test_a_clients_category_comes_from_its_archive(stage, tier, vip, expected):
    assert rules.category_of(stage, tier, vip) == expected


def test_exactly_at_every_limit_is_allowed():
    assert refusal() is None  # 2 × 150 = the cap; the last place; within budget; the last two in stock


@pytest.mark.parametrize("changes, expected", [
    ({"unit_value": Decimal("150.01")}, Refusal.OVER_CAP),
    ({"room": Room(Decimal("300"), 0, Decimal("1000"), 2)}, Refusal.OVER_QUOTA),
    ({"room": Room(Decimal("300"), 1, Decimal("299.99"), 2)}, Refusal.OVER_BUDGET),
    ({"room": Room(Decimal("300"), 1, Decimal("1000"), 1)}, Refusal.NO_STOCK),
    ({"lost": True}, Refusal.LOST_CLIENT),
    ({"opted_out": True}, Refusal.OPTED_OUT),
    ({"category": None}, Refusal.NO_CATEGORY),
    ({"already_listed": True}, Refusal.ALREADY_LISTED),
])
def test_one_step_over_any_limit_is_refused_with_its_reason(changes, expected):
    assert refusal(**changes) == expected
