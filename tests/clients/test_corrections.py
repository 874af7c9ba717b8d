"""An interaction or event entered by mistake can be corrected or voided: by its author within a
day, by a supervisor at any time; voided entries stay visible, struck through, and stop counting."""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients.models import Client, ClientConfidential, Interaction, ServiceEvent
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in

SALE = {"kind": "sale", "occurred_at": "2026-11-01T09:00", "product": "高端数控机床", "high_end": "y",
        "amount": "15000"}


def _one(app, model):
    with app.app_context():
        key = sa.inspect(model).primary_key[0]
        row = db.session.scalar(sa.select(model).order_by(key.desc()))
        db.session.expunge_all()
        return row


def test_voiding_a_mistaken_sale_takes_back_the_purchases_and_vip_eligibility(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    client.post(f"/clients/{client_id}/events", data=SALE)
    assert _one(app, Client).vip_status == "eligible"
    event = _one(app, ServiceEvent)
    response = client.post(f"/clients/{client_id}/events/{event.id}/void", data={"reason": "录错客户"})
    assert response.status_code == 302
    stored = _one(app, Client)
    assert (stored.vip_status, stored.vip_reason) == ("none", None)
    dealings = _one(app, ClientConfidential)
    assert (dealings.total_purchases, dealings.largest_purchase) == (Decimal("0.00"), None)
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    entry = page.split(f'id="event-{event.id}"')[1].split("</li>")[0]
    assert 'class="event voided"' in page and "已作废：录错客户" in entry and "作废</summary>" not in entry
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "event.voided")) \
            .startswith(f"event={event.id}")


def test_correcting_an_interaction_moves_the_last_contact(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    client.post(f"/clients/{client_id}/interactions", data={
        "kind": "callback", "channel": "phone", "occurred_at": "2026-11-20T10:30", "content": "回访"})
    interaction = _one(app, Interaction)
    form = client.get(f"/clients/{client_id}/interactions/{interaction.id}/edit").get_data(as_text=True)
    assert 'value="2026-11-20T10:30"' in form and 'name="reason"' in form
    response = client.post(f"/clients/{client_id}/interactions/{interaction.id}", data={
        "kind": "callback", "channel": "phone", "occurred_at": "2026-11-18T10:30", "content": "回访（改）",
        "reason": "日期填错"})
    assert response.status_code == 302
    stored = _one(app, Interaction)
    assert stored.content == "回访（改）" and stored.corrected_at is not None
    assert _one(app, Client).last_contact_at == stored.occurred_at
    client.post(f"/clients/{client_id}/interactions/{interaction.id}/void", data={"reason": "重复"})
    assert _one(app, Client).last_contact_at is None


def test_a_correction_needs_a_reason(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    client.post(f"/clients/{client_id}/interactions", data={
        "kind": "callback", "occurred_at": "2026-11-20T10:30", "content": "回访"})
    interaction = _one(app, Interaction)
    response = client.post(f"/clients/{client_id}/interactions/{interaction.id}", data={
        "kind": "callback", "occurred_at": "2026-11-20T10:30", "content": "改"})
    assert response.status_code == 422 and "请填写更正原因" in response.get_data(as_text=True)
    response = client.post(f"/clients/{client_id}/interactions/{interaction.id}/void")
    assert response.status_code == 422
    assert f'id="void-interactions-{interaction.id}-error"' in response.get_data(as_text=True)
    assert _one(app, Interaction).content == "回访"


def test_after_a_day_only_a_supervisor_corrects(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    client.post(f"/clients/{client_id}/interactions", data={
        "kind": "callback", "occurred_at": "2026-11-20T10:30", "content": "回访"})
    interaction = _one(app, Interaction)
    with app.app_context():
        db.session.get(Interaction, interaction.id).created_at = utcnow() - timedelta(days=2)
        db.session.commit()
    assert client.post(f"/clients/{client_id}/interactions/{interaction.id}/void",
                       data={"reason": "晚了"}).status_code == 403
    colleague = app.test_client()
    log_in(colleague, gen_user(app, "specialist").username)
    assert colleague.get(f"/clients/{client_id}/interactions/{interaction.id}/edit").status_code == 403
    supervisor = app.test_client()
    log_in(supervisor, gen_user(app, "supervisor").username)
    assert supervisor.post(f"/clients/{client_id}/interactions/{interaction.id}/void",
                           data={"reason": "主管核实"}).status_code == 302
    assert _one(app, Interaction).voided_at is not None


def test_a_record_of_another_client_is_not_found(app, client):
    owner = gen_user(app, "specialist")
    first, second = make_client(app, owner), make_client(app, owner, name="另一家公司")
    log_in(client, owner.username)
    client.post(f"/clients/{first}/interactions", data={
        "kind": "callback", "occurred_at": "2026-11-20T10:30", "content": "回访"})
    interaction = _one(app, Interaction)
    assert client.post(f"/clients/{second}/interactions/{interaction.id}/void",
                       data={"reason": "x"}).status_code == 404


def test_a_supervisor_corrects_a_sale_without_reading_or_changing_its_amount(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    as_owner = app.test_client()
    log_in(as_owner, owner.username)
    as_owner.post(f"/clients/{client_id}/events", data={**SALE, "amount": "15432.10"})
    event = _one(app, ServiceEvent)
    log_in(client, gen_user(app, "supervisor").username)
    form = client.get(f"/clients/{client_id}/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="reason"' in form and "15432" not in form and 'name="amount"' not in form
    response = client.post(f"/clients/{client_id}/events/{event.id}", data={
        **SALE, "occurred_at": "2026-11-02T09:00", "amount": "1", "reason": "日期填错"})
    assert response.status_code == 302
    corrected = _one(app, ServiceEvent)
    assert (corrected.amount, corrected.occurred_at.day) == (Decimal("15432.10"), 2)
    assert _one(app, ClientConfidential).total_purchases == Decimal("15432.10")
