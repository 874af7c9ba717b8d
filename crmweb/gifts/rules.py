"""The gift plan (馈赠管理方案) as pure rules: stock, and (next) caps, quotas, budgets and the
approval chain by category. No Flask, no database."""
from enum import StrEnum


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
