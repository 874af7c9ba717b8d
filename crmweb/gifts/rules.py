"""The gift plan (馈赠管理方案) as pure rules: stock, and (next) caps, quotas, budgets and the
approval chain by category. No Flask, no database."""
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from crmweb.auth.permissions import (
    GIFTS_APPROVE_CLIENTS,
    GIFTS_APPROVE_PROSPECTS,
    GIFTS_LIST_CLIENTS,
    GIFTS_LIST_PROSPECTS,
)


class GiftKind(StrEnum):
    CUSTOM = "custom"   # chosen for the client
    LOGO = "logo"       # a souvenir with the company's logo


class MovementKind(StrEnum):
    RECEIVED = "received"   # into stock
    ISSUED = "issued"       # out to a client or a visitor
    ADJUSTED = "adjusted"   # a count corrected (stocktaking)


def available(stock: int, reserved: int) -> int:
    """What can still be promised: on hand, less what approved allocations hold."""
    return max(stock - reserved, 0)


def is_low(stock: int, reserved: int, low_level: int) -> bool:
    return available(stock, reserved) <= low_level


# --- campaigns ----------------------------------------------------------------------------------

class Category(StrEnum):
    PROSPECT = "prospect"   # 意向客户
    VIP = "vip"             # VIP 客户
    KEY = "key"             # 重点客户


class Refusal(StrEnum):
    NO_CATEGORY = "no_category"
    LOST_CLIENT = "lost_client"
    OPTED_OUT = "opted_out"
    ALREADY_LISTED = "already_listed"
    OVER_CAP = "over_cap"
    OVER_QUOTA = "over_quota"
    OVER_BUDGET = "over_budget"
    NO_STOCK = "no_stock"


# Who compiles each category's list (馈赠管理方案): prospects a specialist, VIPs and key clients
# the customer-service manager (with marketing for key clients).
COMPILERS = {Category.PROSPECT: GIFTS_LIST_PROSPECTS, Category.VIP: GIFTS_LIST_CLIENTS,
             Category.KEY: GIFTS_LIST_CLIENTS}
# Who approves it: prospects the department manager, VIPs and key clients the general manager.
APPROVERS = {Category.PROSPECT: GIFTS_APPROVE_PROSPECTS, Category.VIP: GIFTS_APPROVE_CLIENTS,
             Category.KEY: GIFTS_APPROVE_CLIENTS}


def category_of(stage: str, tier: str, vip_status: str) -> Category | None:
    """Which of the plan's categories a client falls in by its archive: key clients first, then
    VIPs, then prospects; other customers fall in none (a person may still choose one, with a reason)."""
    if tier == "key":
        return Category.KEY
    if vip_status == "vip":
        return Category.VIP
    if stage == "prospect":
        return Category.PROSPECT
    return None


@dataclass(frozen=True)
class Room:
    """What a campaign still has for one more allocation."""
    value_cap: Decimal          # the category's most per gift
    quota_left: int             # recipients the category may still take
    budget_left: Decimal        # the campaign's money not yet committed
    stock_available: int        # of the gift chosen, not yet reserved


def allocation_refusal(*, category: Category | None, lost: bool, opted_out: bool, already_listed: bool,
                       unit_value: Decimal, quantity: int, room: Room) -> Refusal | None:
    """Why the plan refuses one more gift to a client, or None. Checked in this order, so that the
    reason given is the one a person can act on first."""
    if lost:
        return Refusal.LOST_CLIENT
    if opted_out:
        return Refusal.OPTED_OUT
    if category is None:
        return Refusal.NO_CATEGORY
    if already_listed:
        return Refusal.ALREADY_LISTED
    if unit_value * quantity > room.value_cap:
        return Refusal.OVER_CAP
    if room.quota_left < 1:
        return Refusal.OVER_QUOTA
    if unit_value * quantity > room.budget_left:
        return Refusal.OVER_BUDGET
    if quantity > room.stock_available:
        return Refusal.NO_STOCK
    return None
