"""Contracts on the archive: the amount and the files for who reads the dealings only, numbers
unique, the list of contracts ending soon, reminders to the owner on their dates (once each), and
files on contracts and on timeline entries."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients import timeline
from crmweb.clients.models import Client, Interaction
from crmweb.contracts import services
from crmweb.contracts.models import Contract
from crmweb.dashboard.models import Notice
from crmweb.documents.models import Document
from crmweb.extensions import db
from crmweb.messages.models import OutboxMessage
from crmweb.timeutil import local_zone, utcnow
from tests.clients.helpers import make_client
from tests.documents.test_files import PDF, PNG, upload

MARKER = "7654321.09"


def contract_form(today, **changes) -> dict:
    return {
        "number": "HT-2027-001",
        "title": "年度维保合同",
        "amount": MARKER,
        "signing_due_on": "",
        "signed_on": today.isoformat(),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=20)).isoformat(),
        "renewal_notice_days": "15",
        "notes": "",
        **changes,
    }


def local_today(app):
    with app.app_context():
        return utcnow().astimezone(local_zone()).date()


def test_a_contract_and_its_amount_and_files_for_who_reads_the_dealings(app, client, login_as):
    owner = login_as("sales", mobile="+8613800000001")
    client_id = make_client(app, owner, "华通机械有限公司")
    today = local_today(app)
    saved = client.post(f"/clients/{client_id}/contracts/new", data=contract_form(today))
    assert saved.status_code == 303
    contract_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    assert MARKER in client.get(f"/contracts/{contract_id}").get_data(as_text=True)
    duplicate = client.post(f"/clients/{client_id}/contracts/new", data=contract_form(today))
    assert duplicate.status_code == 409 and "已经用过" in duplicate.get_data(as_text=True)
    assert (
        client.post(
            f"/clients/{client_id}/contracts/new",
            data=contract_form(today, number="HT-2", starts_on="2027-02-01", ends_on="2027-01-01"),
        ).status_code
        == 422
    )
    assert upload(client, f"contract/{contract_id}", "合同扫描.pdf", PDF).status_code == 303
    with app.app_context():
        document = db.session.scalars(sa.select(Document)).one()
        assert document.confidential  # a contract's file is confidential without asking
    assert 'id="client-contracts"' in client.get(f"/clients/{client_id}").get_data(as_text=True)

    readers = {"director", "manager"}
    for role in ("director", "manager", "supervisor", "specialist", "service", "sales", "reception", "admin"):
        other = app.test_client()
        login_as(role, on=other)
        page = other.get(f"/contracts/{contract_id}")
        if role in ("sales", "reception", "admin"):  # not theirs, or no archive at all
            assert page.status_code in (403, 404), role
            continue
        text = page.get_data(as_text=True)
        assert page.status_code == 200, role
        assert (MARKER in text) == (role in readers), role
        assert (other.get(f"/documents/{document.id}").status_code == 200) == (role in readers), role
        if role not in readers:
            assert other.get(f"/contracts/{contract_id}/edit").status_code in (200, 403)
            assert MARKER not in other.get(f"/contracts/{contract_id}/edit").get_data(as_text=True)
    with app.app_context():
        reads = db.session.scalars(
            sa.select(AuditEvent.detail).where(
                AuditEvent.action == "archive.viewed", AuditEvent.detail == f"contract={contract_id}"
            )
        ).all()
    assert len(reads) == 3  # the owner and the two readers: each read of the amount audited

    # A supervisor may change the archive but not read the dealings: the amount stays as it was.
    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    changed = supervisor.post(
        f"/contracts/{contract_id}/edit", data=contract_form(today, amount="1", title="改名")
    )
    assert changed.status_code == 303
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert (contract.title, str(contract.amount)) == ("改名", MARKER)


def test_contracts_ending_soon_and_their_reminders_to_the_owner_once_each(app, client, login_as):
    owner = login_as("sales", mobile="+8613800000001", email="owner@example.cn")
    client_id = make_client(app, owner, "华通机械有限公司")
    other_owner = app.test_client()
    login_as("sales", on=other_owner)
    today = local_today(app)
    client.post(f"/clients/{client_id}/contracts/new", data=contract_form(today))
    client.post(
        f"/clients/{client_id}/contracts/new",
        data=contract_form(
            today,
            number="HT-2027-002",
            title="扩容合同",
            signed_on="",
            starts_on="",
            ends_on="",
            signing_due_on=(today + timedelta(days=7)).isoformat(),
        ),
    )
    client.post(
        f"/clients/{client_id}/contracts/new",
        data=contract_form(
            today, number="HT-2027-003", title="远期合同", ends_on=(today + timedelta(days=200)).isoformat()
        ),
    )
    listed = client.get("/contracts?days=30").get_data(as_text=True)
    assert "HT-2027-001" in listed and "HT-2027-003" not in listed
    assert "HT-2027-003" in client.get("/contracts?days=365").get_data(as_text=True)
    assert "HT-2027-001" not in other_owner.get("/contracts?days=30").get_data(as_text=True)

    with app.app_context():
        assert services.send_reminders(utcnow()) == 3  # signing in 7 days, notice in 5, end in 20
        assert services.send_reminders(utcnow() + timedelta(hours=1)) == 0  # once each
        texts = db.session.scalars(sa.select(Notice.text).where(Notice.user_id == owner.id)).all()
        channels = db.session.scalars(
            sa.select(OutboxMessage.channel).where(OutboxMessage.idempotency_key.like("contract:%"))
        ).all()
    assert sorted(channels) == ["email"] * 3 + ["sms"] * 3
    assert any("请提醒客户签约" in text and "HT-2027-002" in text for text in texts)
    assert any("续约通知期" in text for text in texts) and any("合同到期" in text for text in texts)
    dashboard = client.get("/").get_data(as_text=True)
    assert 'id="today-contracts"' in dashboard and "提醒客户签约" in dashboard
    with app.app_context():  # the end moved: reminded again of the new end (the notice is now 10 days off)
        contract = db.session.scalar(sa.select(Contract).where(Contract.number == "HT-2027-001"))
        contract.ends_on = contract.ends_on + timedelta(days=5)
        db.session.commit()
        assert services.send_reminders(utcnow()) == 1


def test_files_on_a_timeline_entry_checked_by_their_content(app, client, login_as):
    owner = login_as("specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    with app.app_context():
        touch = timeline.record_interaction(
            db.session.get(type(owner), owner.id),
            db.session.get(Client, client_id),
            {"kind": "complaint", "channel": "phone", "occurred_at": utcnow(), "content": "来电投诉"},
            utcnow(),
        )
        touch_id = touch.id
    assert upload(client, f"interaction/{touch_id}", "../../../etc/投诉信.pdf", PDF).status_code == 303
    assert upload(client, f"interaction/{touch_id}", "照片.pdf", PNG).status_code == 303  # refused: not a PDF
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    entry = re.search(rf'<li id="interaction-{touch_id}".*?</li>\s*</ul>', page, re.S).group(0)
    assert "投诉信.pdf" in entry and "etc" not in entry
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 1
        assert db.session.get(Interaction, touch_id) is not None
    reception = app.test_client()
    login_as("reception", on=reception)
    with app.app_context():
        document_id = db.session.scalar(sa.select(Document.id))
    assert reception.get(f"/documents/{document_id}").status_code in (403, 404)
    assert upload(reception, f"interaction/{touch_id}", "x.pdf", io.BytesIO(PDF).read()).status_code == 403


def test_the_demo_data_has_contracts_with_a_reminder_to_show(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        contracts = db.session.scalars(sa.select(Contract).order_by(Contract.number)).all()
        owner = contracts[0].client.owner
        assert len(contracts) == 3 and all(contract.client.owner_id for contract in contracts)
        today = utcnow().astimezone(local_zone()).date()
        due = services.due_for([owner.id], today)
    # The maintenance contract ends within its renewal notice: its owner is reminded today.
    assert any(item.contract.id == contracts[0].id for item in due)
