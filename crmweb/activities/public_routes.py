"""The invited person's own pages, by their personal link and without a login: answer the
invitation, give feedback afterwards. A link that was guessed, altered, used or has expired gets
the same page, a 404 that says only that the link does not work: nothing about the activity or
anyone on it."""

from flask import render_template
from flask_babel import gettext as _

from crmweb.activities import bp, invitations
from crmweb.activities.forms import AnswerForm, FeedbackForm
from crmweb.activities.invitations import LinkRefused
from crmweb.activities.rules import Answer
from crmweb.auth.permissions import public
from crmweb.bookings.exporting import qr_svg
from crmweb.htmx import render
from crmweb.timeutil import request_now


def _spent():
    return render("activities/link_spent.html", status_code=404)


@bp.route("/activities/rsvp/<token>", methods=["GET", "POST"])
@public
def rsvp(token):
    """Asks, then records (a mail scanner that opens the link answers nothing)."""
    now = request_now()
    try:
        invitation = invitations.rsvp_invitation(token, now)
    except LinkRefused:
        return _spent()
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            invitation = invitations.answer(token, Answer(form.answer.data), now)
        except LinkRefused:
            return _spent()
        return render(
            "activities/rsvp_done.html",
            invitation=invitation,
            qr=qr_svg(invitation.pass_code) if invitation.pass_code else None,
        )
    return render(
        "activities/rsvp.html",
        invitation=invitation,
        activity=invitation.activity,
        form=form,
        status_code=422 if form.is_submitted() else 200,
    )


@bp.route("/activities/feedback/<token>", methods=["GET", "POST"])
@public
def feedback(token):
    now = request_now()
    try:
        invitation = invitations.feedback_invitation(token, now)
    except LinkRefused:
        return _spent()
    form = FeedbackForm()
    if form.validate_on_submit():
        invitations.give_feedback(
            token, form.rating.data, (form.feedback.data or "").strip(), form.interested.data, now
        )
        return render_template("activities/feedback_done.html", message=_("谢谢您的意见！"))
    return render(
        "activities/feedback.html",
        invitation=invitation,
        activity=invitation.activity,
        form=form,
        status_code=422 if form.is_submitted() else 200,
    )
