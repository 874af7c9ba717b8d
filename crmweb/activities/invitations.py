"""Invitations: sent to a selection of clients' contacts through the outbox, each with a personal
link to answer (no login; it works once, for that person, until the event begins); seats taken
in the order of the answers and a waiting list once full; the day-before reminder; feedback by a
link after the event (or, for a trial, after the product was sent) or recorded by staff from a
call; a follow-up call for whoever asked to hear more.

Every message is an outbox row with its idempotency key, written in the same transaction as the
change that causes it, and handed to the workers after the commit.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _

from crmweb.activities import rules, services
from crmweb.activities.models import Activity, Invitation
from crmweb.activities.rules import Answer, LinkRefusal, Status
from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_APPROVE_VIP, role_can
from crmweb.bookings.services import day_bounds
from crmweb.callbacks import services as callback_services
from crmweb.clients import timeline
from crmweb.clients.models import Contact
from crmweb.errors import Conflict, Invalid
from crmweb.extensions import db
from crmweb.messages import outbox, sending
from crmweb.messages.models import MessageTemplate
from crmweb.messages.rules import Exclusion
from crmweb.timeutil import local_zone, utcnow
from crmweb.tokens import new_token, token_hash
from crmweb.workdays import holiday_name

MAX_INVITATIONS = 2_000  # one invitation round at most


def _link(kind: str, token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/activities/{kind}/{token}"


def _values(activity: Activity, link: str) -> dict[str, str]:
    """What an activity's messages fill in beyond the contact's own placeholders."""
    return {
        "活动": activity.title,
        "时间": format_datetime(activity.starts_at, "M月d日 HH:mm"),
        "地点": activity.place,
        "链接": link,
    }


@dataclass
class Invited:
    invited: int = 0
    already: int = 0  # on the list before this round
    excluded: dict = field(default_factory=dict)  # Exclusion → how many could not be reached


def invite(
    actor: User,
    activity: Activity,
    template: MessageTemplate,
    selection: sending.Selection,
    key_people_only: bool,
    now: datetime,
) -> Invited:
    """Each reachable contact of the selected clients invited once, their message in the outbox
    with their own link; who cannot be reached (opted out, no address …) is counted, not invited."""
    services.require_run(actor, activity)
    if now >= activity.starts_at:
        raise Conflict(_("活动已经开始，不能再发邀请。"))
    preview = sending.recipients(template, selection, role_can(actor.role, CLIENTS_APPROVE_VIP), now)
    people = [r for r in preview.recipients if r.contact.is_key_person or not key_people_only]
    if len(people) > MAX_INVITATIONS:
        raise Invalid(_("一次最多邀请 %(n)s 人，请缩小范围。", n=MAX_INVITATIONS))
    listed = set(
        db.session.scalars(
            sa.select(Invitation.contact_id).where(
                Invitation.activity_id == activity.id, Invitation.contact_id.is_not(None)
            )
        )
    )
    result, rows = Invited(), []
    not_before = preview.not_before or now
    holiday = holiday_name(not_before.astimezone(local_zone()).date()) or ""
    for recipient in people:
        contact = recipient.contact
        if contact.id in listed:
            result.already += 1
            continue
        if recipient.exclusion:
            result.excluded[recipient.exclusion] = result.excluded.get(recipient.exclusion, 0) + 1
            continue
        token = new_token()
        invitation = Invitation(
            activity_id=activity.id,
            client_id=contact.client_id,
            contact_id=contact.id,
            name=contact.name[:50],
            channel=template.channel,
            rsvp_token_hash=token_hash(token),
            invited_by_id=actor.id,
            created_at=now,
        )
        db.session.add(invitation)
        db.session.flush()
        row = sending.outbox_row(
            template, recipient, not_before, holiday, _values(activity, _link("rsvp", token))
        )
        rows.append({**row, "idempotency_key": f"activity:{activity.id}:invite:{invitation.id}"})
        result.invited += 1
    ids = outbox.queue_messages(rows, now)
    record_audit(
        "activities.invited",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"invited={result.invited} template={template.id} {sending.describe(selection)}"[:300],
    )
    db.session.commit()
    if preview.not_before is None:
        outbox.hand_over(ids)
    return result


# --- the personal links --------------------------------------------------------------------------


class LinkRefused(Exception):
    """A link that does nothing: the page says only that (whatever the reason)."""

    def __init__(self, reason: LinkRefusal):
        super().__init__(reason)
        self.reason = reason


def _by_token(column, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(Invitation).where(column == token_hash(token)))


def rsvp_invitation(token: str, now: datetime) -> Invitation:
    """The invitation a link was made for, while it may still be answered (until the activity
    ends); else LinkRefused."""
    invitation = _by_token(Invitation.rsvp_token_hash, token)
    refusal = rules.link_refusal(
        found=invitation is not None,
        used=bool(invitation and invitation.answered_at),
        expires_at=invitation.activity.ends_at if invitation else None,
        now=now,
    )
    if refusal:
        raise LinkRefused(refusal)
    return invitation


def _lock(activity: Activity) -> None:
    """One answer at a time per activity, so that two people never take the last seat: the row
    lock on PostgreSQL; SQLite's writers already queue (BEGIN IMMEDIATE)."""
    db.session.execute(sa.select(Activity.id).where(Activity.id == activity.id).with_for_update())


def answer(token: str, choice: Answer, now: datetime) -> Invitation:
    """The person's answer by their link: a seat while there is one, else the waiting list; the
    link is spent. Whoever got a seat gets their pass by message too."""
    invitation = rsvp_invitation(token, now)
    activity = invitation.activity
    _lock(activity)
    invitation.status = rules.seat_for(choice, services.seats_taken(activity), activity.capacity)
    invitation.answered_at = invitation.seated_at = now
    ids = []
    if invitation.status == Status.ACCEPTED:
        ids = _seat(invitation, now)
    record_audit(
        "activities.answered",
        target_type="activity",
        target_id=activity.id,
        now=now,
        detail=f"invitation={invitation.id} {invitation.status}",
    )
    db.session.commit()
    outbox.hand_over(ids)
    return invitation


def _seat(invitation: Invitation, now: datetime) -> list[int]:
    """A seat: the pass, and a message that carries it (once per invitation)."""
    services.issue_pass(invitation)
    activity = invitation.activity
    text = _(
        "%(name)s您好，您已报名参加%(title)s（%(when)s，%(place)s），入场通行证：%(code)s。",
        name=invitation.name,
        title=activity.title,
        when=format_datetime(activity.starts_at, "M月d日 HH:mm"),
        place=activity.place,
        code=invitation.pass_code,
    )
    return _message(invitation, "pass", text, now)


def _message(invitation: Invitation, purpose: str, text: str, now: datetime) -> list[int]:
    """A text to the invited contact by the channel their invitation went by, checked like every
    message (opt-outs, quiet hours, the daily cap); the ids to hand over after the commit."""
    contact = db.session.get(Contact, invitation.contact_id) if invitation.contact_id else None
    if contact is None or not invitation.channel:
        return []
    preview = sending.assess([contact], invitation.channel, now)
    recipient = preview.recipients[0]
    if recipient.exclusion == Exclusion.OPTED_OUT:
        return []
    row = {
        "channel": invitation.channel,
        "client_id": contact.client_id,
        "contact_id": contact.id,
        "recipient": recipient.address or "",
        "subject": invitation.activity.title[:200],
        "body": text,
        "not_before": preview.not_before or now,
        "idempotency_key": f"activity:{invitation.activity_id}:{purpose}:{invitation.id}",
    }
    ids = outbox.queue_messages([row], now)
    return ids if preview.not_before is None and recipient.exclusion is None else []


def withdraw(actor: User, invitation: Invitation, now: datetime) -> Invitation | None:
    """Staff record that someone with a seat (or waiting) will not come, on their word: the seat
    goes to the first on the waiting list, who is told. Returns who moved up, if anyone."""
    activity = invitation.activity
    services.require_run(actor, activity)
    if invitation.status not in (Status.ACCEPTED, Status.WAITLISTED) or invitation.checked_in_at:
        raise Conflict(_("%(name)s 没有待参加的名额。", name=invitation.name))
    _lock(activity)
    had_seat = invitation.status == Status.ACCEPTED
    invitation.status = Status.DECLINED
    promoted, ids = None, []
    if had_seat and now < activity.starts_at:
        promoted = db.session.scalar(
            sa.select(Invitation)
            .where(Invitation.activity_id == activity.id, Invitation.status == Status.WAITLISTED)
            .order_by(Invitation.seated_at, Invitation.id)
            .limit(1)
        )
        if promoted is not None:
            promoted.status = Status.ACCEPTED
            ids = _seat(promoted, now)
    record_audit(
        "activities.withdrawn",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"invitation={invitation.id} promoted={promoted.id if promoted else '-'}",
    )
    db.session.commit()
    outbox.hand_over(ids)
    return promoted


def remind_tomorrow(now: datetime | None = None) -> int:
    """The periodic pass: everyone with a seat at an activity that begins tomorrow (local days) is
    reminded, once however often the pass runs."""
    now = now or utcnow()
    start, end = day_bounds(rules.day_reminded(now.astimezone(local_zone()).date()))
    due = db.session.scalars(
        sa.select(Invitation)
        .join(Activity, Activity.id == Invitation.activity_id)
        .where(Invitation.status == Status.ACCEPTED, Activity.starts_at >= start, Activity.starts_at < end)
    ).all()
    ids = []
    for invitation in due:
        activity = invitation.activity
        text = _(
            "提醒：%(title)s明天 %(time)s 在%(place)s举行，入场请出示通行证 %(code)s。",
            title=activity.title,
            time=format_datetime(activity.starts_at, "HH:mm"),
            place=activity.place,
            code=invitation.pass_code or "",
        )
        ids += _message(invitation, "reminder", text, now)
    db.session.commit()
    outbox.hand_over(ids)
    return len(due)


# --- afterwards: feedback, trials --------------------------------------------------------------------


def feedback_closes(invitation: Invitation) -> datetime:
    activity = invitation.activity
    if activity.is_trial and activity.feedback_due_on:
        due = datetime.combine(activity.feedback_due_on, datetime.min.time(), tzinfo=local_zone())
        return rules.feedback_closes(due + timedelta(days=1))
    return rules.feedback_closes(activity.ends_at)


def _ask_feedback(invitation: Invitation, now: datetime) -> list[int]:
    if invitation.feedback_token_hash is not None or invitation.feedback_at is not None:
        return []
    token = new_token()
    invitation.feedback_token_hash = token_hash(token)
    activity = invitation.activity
    text = _(
        "%(name)s您好，感谢您参加%(title)s，请告诉我们您的意见：%(link)s",
        name=invitation.name,
        title=activity.title,
        link=_link("feedback", token),
    )
    return _message(invitation, "feedback", text, now)


def request_feedback(actor: User, activity: Activity, now: datetime) -> int:
    """After the event: everyone who came (with a contact to write to) gets a feedback link,
    once. Returns how many were asked."""
    services.require_run(actor, activity)
    if activity.is_trial:
        raise Conflict(_("新品试用在寄出产品时请参与者反馈。"))
    if now < activity.ends_at:
        raise Conflict(_("活动结束后才能请参加者反馈。"))
    came = [
        invitation
        for invitation in activity.invitations
        if invitation.checked_in_at and invitation.contact_id and invitation.feedback_token_hash is None
    ]
    ids = [message for invitation in came for message in _ask_feedback(invitation, now)]
    record_audit(
        "activities.feedback_requested",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"count={len(came)}",
    )
    db.session.commit()
    outbox.hand_over(ids)
    return len(came)


def send_products(actor: User, activity: Activity, invitation_ids: list[int], now: datetime) -> int:
    """A trial's product handed to participants who accepted: each asked for feedback by link, and
    a call for the client's owner on the day the feedback is due."""
    services.require_run(actor, activity)
    if not activity.is_trial:
        raise Conflict(_("只有新品试用才寄送产品。"))
    chosen = [
        invitation
        for invitation in activity.invitations
        if invitation.id in set(invitation_ids)
        and invitation.status == Status.ACCEPTED
        and invitation.product_sent_at is None
    ]
    ids = []
    for invitation in chosen:
        invitation.product_sent_at = now
        ids += _ask_feedback(invitation, now)
        if invitation.client is not None:
            callback_services.add_call(
                actor,
                invitation.client,
                _("新品试用反馈：%(product)s（%(name)s）", product=activity.product, name=invitation.name),
                activity.feedback_due_on or now.astimezone(local_zone()).date(),
                now,
            )
    record_audit(
        "activities.products_sent",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"count={len(chosen)}",
    )
    db.session.commit()
    outbox.hand_over(ids)
    return len(chosen)


def feedback_invitation(token: str, now: datetime) -> Invitation:
    invitation = _by_token(Invitation.feedback_token_hash, token)
    refusal = rules.link_refusal(
        found=invitation is not None,
        used=bool(invitation and invitation.feedback_at),
        expires_at=feedback_closes(invitation) if invitation else None,
        now=now,
    )
    if refusal:
        raise LinkRefused(refusal)
    return invitation


def give_feedback(token: str, rating: int, text: str, interested: bool, now: datetime) -> Invitation:
    """The person's own feedback by their link (once)."""
    invitation = feedback_invitation(token, now)
    _take_feedback(None, invitation, rating, text, interested, now)
    return invitation


def record_feedback(
    actor: User, invitation: Invitation, rating: int, text: str, interested: bool, now: datetime
) -> None:
    """Feedback heard by staff (a trial's feedback call, a word at the door)."""
    services.require_run(actor, invitation.activity)
    if invitation.feedback_at is not None:
        raise Conflict(_("%(name)s 的反馈已经登记。", name=invitation.name))
    _take_feedback(actor, invitation, rating, text, interested, now)


def _take_feedback(
    actor: User | None, invitation: Invitation, rating: int, text: str, interested: bool, now: datetime
) -> None:
    """Kept on the invitation and on the client's timeline (its satisfaction the rating); whoever
    asked to hear more gets a call from the client's owner."""
    invitation.rating, invitation.feedback, invitation.interested = rating, text[:2000], interested
    invitation.feedback_at = now
    activity = invitation.activity
    record_audit(
        "activities.feedback",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"invitation={invitation.id} rating={rating}",
    )
    if invitation.client is not None:
        author = actor or _organiser(activity)
        timeline.record_interaction(
            author,
            invitation.client,
            {
                "kind": "activity",
                "channel": "email" if actor is None else "phone",
                "contact_id": invitation.contact_id,
                "occurred_at": now,
                "content": _("活动反馈：%(title)s。%(text)s", title=activity.title, text=text[:500] or "—"),
                "satisfaction": rating,
            },
            now,
        )
        if interested:
            callback_services.add_call(
                author,
                invitation.client,
                _("活动跟进：%(name)s 对%(title)s感兴趣", name=invitation.name, title=activity.title),
                now.astimezone(local_zone()).date(),
                now,
            )
    db.session.commit()


def _organiser(activity: Activity) -> User:
    """Whom a client's own feedback is recorded by: the first person responsible, or the planner."""
    return activity.organisers[0] if activity.organisers else db.session.get(User, activity.created_by_id)
