"""Use cases of client visits: book, approve (passes), cancel, and the front desk's check-in.

Each takes the actor and `now`, checks the rule book (rules.py), persists and audits. That a room
is never held twice is the database's guard (models.py); this module turns its refusal into a
Conflict that names the holder's time.
"""
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import BOOKINGS_APPROVE, BOOKINGS_APPROVE_IF_SET, role_can
from crmweb.bookings import rules
from crmweb.bookings.labels import AREA_LABELS, PASS_REFUSALS
from crmweb.bookings.models import ROOM_TAKEN, Booking, MeetingRoom, Visitor, WalkIn
from crmweb.bookings.rules import VisitStatus
from crmweb.bookings.settings import numbers
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.dashboard.notices import notify
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.gifts import services as gift_stock
from crmweb.ids import MAX_ID
from crmweb.settings import change_settings, get_setting
from crmweb.timeutil import local_zone
from crmweb.workdays import is_working_day

# Pass codes: letters and digits nobody confuses (no 0/O, 1/I/L), eight of them: about 39 bits.
PASS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PASS_LENGTH = 8


@dataclass
class Request:
    """A visit as the booking form gives it; times local (what datetime-local sends)."""
    client: Client
    room: MeetingRoom
    starts_at: datetime
    ends_at: datetime
    visitors: list[str]
    purpose: str
    areas: list[str]
    host: User
    holiday_allowed: bool = False


def rooms(active_only: bool = True) -> list[MeetingRoom]:
    query = sa.select(MeetingRoom).order_by(MeetingRoom.name)
    if active_only:
        query = query.where(MeetingRoom.active)
    return db.session.scalars(query).all()


def get_booking(booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(_("找不到该参观预约。"))
    return booking


def get_room(room_id: int) -> MeetingRoom:
    room = db.session.get(MeetingRoom, room_id)
    if room is None:
        raise NotFound(_("找不到该会议室。"))
    return room


def find_client(client_id: int | None) -> Client | None:
    """The client a form names, None for what cannot be one (the form says so beside the field)."""
    return db.session.get(Client, client_id) if client_id and 0 < client_id <= MAX_ID else None


def find_room(room_id: int | None) -> MeetingRoom | None:
    room = db.session.get(MeetingRoom, room_id) if room_id and 0 < room_id <= MAX_ID else None
    return room if room is not None and room.active else None


def save_settings(actor: User, values: dict, now: datetime) -> None:
    change_settings(actor, "bookings", values, now)
    db.session.commit()


def may_approve(actor: User) -> bool:
    return role_can(actor.role, BOOKINGS_APPROVE) or (
        role_can(actor.role, BOOKINGS_APPROVE_IF_SET) and get_setting("bookings.supervisor_approves"))


def _as_rules_visit(request: Request, now: datetime) -> rules.Visit:
    return rules.Visit(tier=request.client.tier, applied_on=now.astimezone(local_zone()).date(),
                       starts_at=request.starts_at, ends_at=request.ends_at, visitors=len(request.visitors),
                       room_capacity=request.room.capacity, areas=frozenset(request.areas),
                       holiday_allowed=request.holiday_allowed)


def refusals(request: Request, now: datetime) -> dict[str, object]:
    """What the rule book says against this visit, by form field (the form shows it as one types)."""
    return rules.refusals(_as_rules_visit(request, now), numbers(), is_working_day, now)


def holder(room: MeetingRoom, starts_at: datetime, ends_at: datetime,
           except_id: int | None = None) -> Booking | None:
    """The booking that holds the room at some moment of [starts_at, ends_at), if any."""
    query = sa.select(Booking).where(Booking.room_id == room.id, Booking.status != VisitStatus.CANCELLED,
                                     Booking.starts_at < ends_at, Booking.ends_at > starts_at)
    if except_id is not None:
        query = query.where(Booking.id != except_id)
    return db.session.scalars(query.order_by(Booking.starts_at).limit(1)).first()


def room_taken(booking: Booking) -> Conflict:
    zone = local_zone()
    return Conflict(_("会议室已被占用：%(day)s %(start)s–%(end)s（接待人 %(host)s）。",
                      day=booking.starts_at.astimezone(zone).date().isoformat(),
                      start=booking.starts_at.astimezone(zone).strftime("%H:%M"),
                      end=booking.ends_at.astimezone(zone).strftime("%H:%M"), host=booking.host.display_name))


def book(actor: User, request: Request, now: datetime) -> Booking:
    """A new visit, requested. The rule book's refusals are the form's to show (`refusals`);
    here they are checked again, and the room's guard answers a race with a Conflict."""
    if refusals(request, now):
        raise Invalid(_("参观预约不符合接待规定，请按提示修改。"))
    if request.holiday_allowed and not may_approve(actor):
        raise NotAllowed(_("只有经理可以特批非工作日的参观。"))
    given = rules.provisions(request.client.tier, len(request.visitors), request.room.capacity, numbers())
    booking = Booking(client_id=request.client.id, room_id=request.room.id,
                      starts_at=request.starts_at, ends_at=request.ends_at, status=VisitStatus.REQUESTED,
                      tier=request.client.tier, purpose=request.purpose, areas=",".join(request.areas),
                      host_id=request.host.id, informal=given.informal,
                      holiday_allowed=request.holiday_allowed,
                      souvenirs=given.souvenirs, created_by_id=actor.id, created_at=now,
                      visitors=[Visitor(name=name) for name in request.visitors])
    db.session.add(booking)
    _flush_or_conflict(booking)
    record_audit("booking.created", target_type="booking", target_id=booking.id, actor=actor, now=now,
                 detail=f"client={request.client.id} room={request.room.id}")
    db.session.commit()
    return booking


def change(actor: User, booking: Booking, request: Request, now: datetime) -> None:
    """A visit moved or its people changed: checked as a new one, and approved again; the passes
    already issued are void (an old pass at the desk says so)."""
    require_change(actor, booking)
    if refusals(request, now):
        raise Invalid(_("参观预约不符合接待规定，请按提示修改。"))
    if request.holiday_allowed and not booking.holiday_allowed and not may_approve(actor):
        raise NotAllowed(_("只有经理可以特批非工作日的参观。"))
    given = rules.provisions(booking.tier, len(request.visitors), request.room.capacity, numbers())
    # Written in one flush below, where the room's guard answers: no query may flush half of it.
    with db.session.no_autoflush:
        booking.room_id = request.room.id
        booking.starts_at, booking.ends_at = request.starts_at, request.ends_at
        booking.purpose, booking.areas = request.purpose, ",".join(request.areas)
        booking.host_id = request.host.id
        booking.holiday_allowed, booking.informal, booking.souvenirs = \
            request.holiday_allowed, given.informal, given.souvenirs
        for visitor in booking.expected:
            if visitor.pass_code:
                visitor.voided_at = now
            else:
                booking.visitors.remove(visitor)
        booking.visitors.extend(Visitor(name=name) for name in request.visitors)
        booking.status, booking.approved_by_id, booking.approved_at = VisitStatus.REQUESTED, None, None
        _release_souvenirs(booking)
    _flush_or_conflict(booking)
    record_audit("booking.changed", target_type="booking", target_id=booking.id, actor=actor, now=now)
    db.session.commit()


def _flush_or_conflict(booking: Booking) -> None:
    """Write, and if the database's guard refuses the room, say who holds it (nothing is kept)."""
    wanted = (booking.room_id, booking.starts_at, booking.ends_at, booking.id)  # a rollback forgets them
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:
        if ROOM_TAKEN not in str(error.orig):
            raise
        db.session.rollback()
        room_id, starts_at, ends_at, booking_id = wanted
        taken = holder(get_room(room_id), starts_at, ends_at, except_id=booking_id)
        raise room_taken(taken) if taken else Conflict(_("会议室刚被占用，请换个时间。")) from None


def assign(actor: User, booking: Booking, guide: User | None, checklist: dict, now: datetime) -> None:
    """The guide who accompanies the visit, and for key clients the preparation checklist."""
    require_change(actor, booking)
    booking.guide_id = guide.id if guide else None
    if booking.tier == "key":
        for name in ("needs_analysed", "rehearsed", "meals_arranged"):
            setattr(booking, name, bool(checklist.get(name)))
        booking.senior_manager_id = checklist.get("senior_manager_id")
    booking.photography_allowed = bool(checklist.get("photography_allowed"))
    record_audit("booking.prepared", target_type="booking", target_id=booking.id, actor=actor, now=now)
    db.session.commit()


def approve(actor: User, booking: Booking, now: datetime) -> list[Visitor]:
    """Approved, the visit issues one pass per visitor."""
    if not may_approve(actor):
        raise NotAllowed(_("只有客户服务经理可以批准参观。"))
    if booking.status != VisitStatus.REQUESTED:
        raise Conflict(_("该参观已批准或已取消。"))
    refusal = rules.approval_refusal(booking.tier, booking.guide_id is not None)
    if refusal:
        raise Invalid(str(refusal))
    booking.status = VisitStatus.APPROVED
    booking.approved_by_id, booking.approved_at = actor.id, now
    for visitor in booking.expected:
        visitor.pass_code = new_pass_code()
    _reserve_souvenirs(booking)
    record_audit("booking.approved", target_type="booking", target_id=booking.id, actor=actor, now=now,
                 detail=f"passes={len(booking.expected)}")
    db.session.commit()
    return booking.expected


def _reserve_souvenirs(booking: Booking) -> None:
    """The visit's souvenirs held in the gift stock from approval (when the company keeps them there)."""
    souvenir = gift_stock.visit_souvenir()
    if souvenir is None or not booking.souvenirs:
        return
    if not gift_stock.reserve(souvenir.id, booking.souvenirs):
        db.session.rollback()
        raise Invalid(_("纪念品库存不足：%(name)s 需要 %(count)s 份。", name=souvenir.name,
                        count=booking.souvenirs))
    booking.souvenir_gift_id, booking.souvenirs_reserved = souvenir.id, booking.souvenirs


def _release_souvenirs(booking: Booking) -> None:
    if booking.souvenirs_reserved:
        gift_stock.release(booking.souvenir_gift_id, booking.souvenirs_reserved)
        booking.souvenirs_reserved = 0


def new_pass_code(length: int = PASS_LENGTH) -> str:
    return "".join(secrets.choice(PASS_ALPHABET) for _ in range(length))


def cancel(actor: User, booking: Booking, now: datetime) -> None:
    """Cancelled, the visit frees its room and voids its passes."""
    require_change(actor, booking)
    booking.status = VisitStatus.CANCELLED
    booking.cancelled_at = now
    _release_souvenirs(booking)
    for visitor in booking.visitors:
        if visitor.pass_code and visitor.voided_at is None:
            visitor.voided_at = now
    record_audit("booking.cancelled", target_type="booking", target_id=booking.id, actor=actor, now=now)
    db.session.commit()


def may_change(actor: User, booking: Booking) -> bool:
    """Who booked it, who hosts it, and who approves visits may prepare, change or cancel it."""
    return actor.id in (booking.created_by_id, booking.host_id) or may_approve(actor)


def require_change(actor: User, booking: Booking) -> None:
    if not may_change(actor, booking):
        raise NotAllowed(_("只有预约人、接待人和经理可以修改或取消这次参观。"))
    _require_open(booking)


def _require_open(booking: Booking) -> None:
    if booking.status == VisitStatus.CANCELLED:
        raise Conflict(_("该参观已取消。"))


# Other areas' passes the desk admits too (an activity's): each takes (actor, code, now) and returns
# what to tell the desk, or None when the code is not one of its passes.
OTHER_PASSES: list[Callable[[User, str, datetime], str | None]] = []
# And what else the desk expects today (an activity's guests): each takes the local day and
# returns cards (template, context) for the desk's screen.
DESK_CARDS: list[Callable[[date], list]] = []


def typed_code(code: str | None) -> str:
    """A pass code as typed or scanned: upper case, letters and digits only."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:PASS_LENGTH * 2]


def admit(actor: User, code: str, now: datetime) -> str:
    """The desk's check-in by a code, a visit's pass or another area's: what to tell the desk."""
    for other in OTHER_PASSES:
        told = other(actor, typed_code(code), now)
        if told:
            return told
    visitor = check_in(actor, code, now)
    return _("%(name)s（%(client)s）已签到，已通知接待人 %(host)s。", name=visitor.name,
             client=visitor.booking.client.name, host=visitor.booking.host.display_name)


def check_in(actor: User, code: str, now: datetime) -> Visitor:
    """The desk lets a visitor in by the pass code, typed or scanned: no pass, no entry."""
    code = typed_code(code)
    visitor = db.session.scalar(sa.select(Visitor).where(Visitor.pass_code == code)
                                .options(selectinload(Visitor.booking))) if code else None
    today = now.astimezone(local_zone()).date()
    refusal = rules.pass_refusal(
        found=visitor is not None, voided=bool(visitor and visitor.voided_at),
        used=bool(visitor and visitor.checked_in_at),
        visit_day=visitor.booking.starts_at.astimezone(local_zone()).date() if visitor else None,
        today=today)
    if refusal:
        record_audit("reception.refused", target_type="pass", target_id=code[:16] or "-", actor=actor,
                     now=now, detail=str(refusal))
        db.session.commit()
        raise Invalid(str(PASS_REFUSALS[refusal]))
    visitor.checked_in_at = now
    booking = visitor.booking
    record_audit("reception.checked_in", target_type="booking", target_id=booking.id, actor=actor, now=now,
                 detail=visitor.name)
    # The host is told on every page they have open (a path: services run outside requests too).
    notify(booking.host_id, _("%(name)s（%(client)s）已到前台。", name=visitor.name,
                              client=booking.client.name), f"/bookings/{booking.id}", now)
    if booking.recorded_at is None:
        booking.recorded_at = now
        if booking.souvenirs_reserved:  # the visit has begun: its souvenirs leave the stock
            gift_stock.issue_reserved(actor, booking.souvenir_gift_id, booking.souvenirs_reserved,
                                      _("参观纪念品：%(client)s", client=booking.client.name), now)
            booking.souvenirs_reserved = 0
        # The visit on the client's timeline, through the archive's one way of recording a touch.
        timeline.record_interaction(actor, booking.client, {
            "kind": "reception", "channel": "visit", "occurred_at": now,
            "content": _("来访：%(visitors)s；接待人：%(host)s；参观：%(areas)s；目的：%(purpose)s",
                         visitors="、".join(v.name for v in booking.expected), host=booking.host.display_name,
                         areas="、".join(str(AREA_LABELS.get(a, a)) for a in booking.area_list) or "-",
                         purpose=booking.purpose)}, now)
    db.session.commit()
    return visitor


def check_out(actor: User, visitor: Visitor, now: datetime) -> None:
    if visitor.checked_in_at is None:
        raise Conflict(_("该访客尚未签到。"))
    if visitor.checked_out_at is None:
        visitor.checked_out_at = now
        record_audit("reception.checked_out", target_type="booking", target_id=visitor.booking_id,
                     actor=actor, now=now, detail=visitor.name)
        db.session.commit()


def record_walk_in(actor: User, values: dict, now: datetime) -> WalkIn:
    """Someone without a booking at the desk; the person they ask for is told at once."""
    walk_in = WalkIn(recorded_by_id=actor.id, arrived_at=now, **values)
    db.session.add(walk_in)
    db.session.flush()
    record_audit("reception.walk_in", target_type="walk_in", target_id=walk_in.id, actor=actor, now=now)
    if walk_in.host_id:
        notify(walk_in.host_id, _("%(name)s（%(company)s）未预约来访，在前台找您。", name=walk_in.name,
                                  company=walk_in.company or "-"), "/reception", now)
    db.session.commit()
    return walk_in


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A local day as the UTC moments it starts and ends."""
    start = datetime.combine(day, time(0), tzinfo=local_zone())
    return start, start + timedelta(days=1)


def visits_between(start: datetime, end: datetime, room_id: int | None = None) -> list[Booking]:
    """Bookings that are not cancelled and overlap [start, end), in time order, visitors loaded."""
    query = (sa.select(Booking).where(Booking.status != VisitStatus.CANCELLED, Booking.starts_at < end,
                                      Booking.ends_at > start)
             .options(selectinload(Booking.visitors), selectinload(Booking.client),
                      selectinload(Booking.room), selectinload(Booking.host))
             .order_by(Booking.starts_at, Booking.id))
    if room_id is not None:
        query = query.where(Booking.room_id == room_id)
    return db.session.scalars(query).all()


def walk_ins_on(day: date) -> list[WalkIn]:
    start, end = day_bounds(day)
    return db.session.scalars(sa.select(WalkIn).where(WalkIn.arrived_at >= start, WalkIn.arrived_at < end)
                              .options(selectinload(WalkIn.host)).order_by(WalkIn.arrived_at)).all()


def add_room(actor, name: str, capacity: int, equipment: str, now: datetime) -> MeetingRoom:
    name = name.strip()[:64]
    if not name or capacity < 1:
        raise Invalid(_("请填写会议室名称和容纳人数。"))
    if db.session.scalar(sa.select(MeetingRoom.id).where(MeetingRoom.name == name)):
        raise Conflict(_("已有同名会议室。"))
    room = MeetingRoom(name=name, capacity=capacity, equipment=equipment.strip()[:200], active=True,
                       created_at=now)
    db.session.add(room)
    db.session.flush()
    record_audit("rooms.added", target_type="room", target_id=room.id, actor=actor, now=now, detail=name)
    db.session.commit()
    return room
