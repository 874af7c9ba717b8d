"""Use cases of the gift catalogue: gifts, stock received, issued and counted again.

Each stock change is one conditional UPDATE that the database makes atomically (the row is locked
on PostgreSQL, the write serialised on SQLite): the condition is what makes it never go below zero
or below what is reserved, whoever else is changing it at the same moment.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.errors import Conflict, Invalid, NotFound
from crmweb.extensions import db
from crmweb.gifts.models import Gift, StockMovement
from crmweb.gifts.rules import MovementKind
from crmweb.ids import MAX_ID
from crmweb.settings import change_settings, get_setting


def catalogue(include_inactive: bool = False) -> list[Gift]:
    query = sa.select(Gift).order_by(Gift.name)
    if not include_inactive:
        query = query.where(Gift.active)
    return db.session.scalars(query).all()


def get_gift(gift_id: int) -> Gift:
    gift = db.session.get(Gift, gift_id)
    if gift is None:
        raise NotFound(_("找不到该礼品。"))
    return gift


def find_gift(gift_id: int | None) -> Gift | None:
    return db.session.get(Gift, gift_id) if gift_id and 0 < gift_id <= MAX_ID else None


def movements(gift: Gift, limit: int = 100) -> list[StockMovement]:
    return db.session.scalars(
        sa.select(StockMovement)
        .where(StockMovement.gift_id == gift.id)
        .order_by(StockMovement.at.desc(), StockMovement.id.desc())
        .limit(limit)
    ).all()


def save_gift(actor: User, gift: Gift | None, values: dict, now: datetime) -> Gift:
    name = values["name"].strip()
    others = sa.select(Gift.id).where(Gift.name == name, Gift.id != (gift.id if gift else 0))
    taken = db.session.scalar(others)
    if taken:
        raise Conflict(_("已有同名礼品。"))
    gift = gift or Gift(created_at=now, stock=0, reserved=0)
    for key, value in values.items():
        setattr(gift, key, value.strip() if isinstance(value, str) else value)
    gift.updated_at = now
    db.session.add(gift)
    db.session.flush()
    record_audit("gifts.saved", target_type="gift", target_id=gift.id, actor=actor, now=now, detail=gift.name)
    db.session.commit()
    return gift


def move_stock(actor: User | None, gift: Gift, change: int, kind: str, reason: str, now: datetime) -> int:
    """Stock in (+) or out (−) by one conditional UPDATE; refused when what is available (on hand,
    less reserved) would not cover it. Returns the stock after. The caller's transaction: commits."""
    if change == 0:
        raise Invalid(_("数量不能为 0。"))
    condition = [Gift.id == gift.id]
    if change < 0:
        condition.append(Gift.stock - Gift.reserved >= -change)
    after = db.session.scalar(
        sa.update(Gift)
        .where(*condition)
        .values(stock=Gift.stock + change, updated_at=now)
        .returning(Gift.stock)
    )
    if after is None:
        db.session.rollback()
        raise Invalid(
            _(
                "库存不足：%(name)s 现可用 %(available)s 件。",
                name=gift.name,
                available=_available_now(gift.id),
            )
        )
    db.session.add(
        StockMovement(
            gift_id=gift.id,
            kind=kind,
            change=change,
            stock_after=after,
            reason=reason.strip()[:200],
            actor_id=actor.id if actor else None,
            at=now,
        )
    )
    record_audit(
        "gifts.stock_moved",
        target_type="gift",
        target_id=gift.id,
        actor=actor,
        now=now,
        detail=f"{kind} {change:+d} → {after}",
    )
    db.session.commit()
    return after


def _available_now(gift_id: int) -> int:
    stock, reserved = db.session.execute(sa.select(Gift.stock, Gift.reserved).where(Gift.id == gift_id)).one()
    return max(stock - reserved, 0)


def receive(actor: User, gift: Gift, quantity: int, reason: str, now: datetime) -> int:
    if quantity <= 0:
        raise Invalid(_("入库数量须大于 0。"))
    return move_stock(actor, gift, quantity, MovementKind.RECEIVED, reason, now)


def issue(actor: User | None, gift: Gift, quantity: int, reason: str, now: datetime) -> int:
    if quantity <= 0:
        raise Invalid(_("出库数量须大于 0。"))
    return move_stock(actor, gift, -quantity, MovementKind.ISSUED, reason, now)


def count_again(actor: User, gift: Gift, counted: int, reason: str, now: datetime) -> int:
    """Stocktaking: what is on the shelf, recorded as the difference (never below what is reserved)."""
    if counted < 0:
        raise Invalid(_("盘点数量不能为负数。"))
    current = db.session.scalar(sa.select(Gift.stock).where(Gift.id == gift.id))
    if counted == current:
        raise Invalid(_("盘点数量与账面相同，无需调整。"))
    return move_stock(actor, gift, counted - current, MovementKind.ADJUSTED, reason or _("盘点"), now)


def reserve(gift_id: int, quantity: int) -> bool:
    """Hold `quantity` for a promise (an approved list, an approved visit); False when it is not
    there. The caller's transaction."""
    return bool(
        db.session.execute(
            sa.update(Gift)
            .where(Gift.id == gift_id, Gift.stock - Gift.reserved >= quantity)
            .values(reserved=Gift.reserved + quantity)
        ).rowcount
    )


def release(gift_id: int, quantity: int) -> None:
    """A promise withdrawn: what it held is free again. The caller's transaction."""
    db.session.execute(
        sa.update(Gift)
        .where(Gift.id == gift_id, Gift.reserved >= quantity)
        .values(reserved=Gift.reserved - quantity)
    )


def issue_reserved(actor, gift_id: int, quantity: int, reason: str, now: datetime) -> int | None:
    """What a promise held goes out of stock, with its movement; None when the books disagree.
    The caller's transaction."""
    after = db.session.scalar(
        sa.update(Gift)
        .where(Gift.id == gift_id, Gift.reserved >= quantity, Gift.stock >= quantity)
        .values(stock=Gift.stock - quantity, reserved=Gift.reserved - quantity)
        .returning(Gift.stock)
    )
    if after is not None:
        db.session.add(
            StockMovement(
                gift_id=gift_id,
                kind=MovementKind.ISSUED,
                change=-quantity,
                stock_after=after,
                reason=reason[:200],
                actor_id=getattr(actor, "id", None),
                at=now,
            )
        )
    return after


def visit_souvenir() -> Gift | None:
    """The logo souvenir a visit's guests receive (set on the gifts page); None: not kept in stock."""
    gift_id = get_setting("gifts.visit_souvenir")
    return db.session.get(Gift, gift_id) if gift_id else None


def choose_visit_souvenir(actor: User, gift_id: int, now: datetime) -> None:
    change_settings(actor, "gifts", {"gifts.visit_souvenir": gift_id}, now)
    db.session.commit()
