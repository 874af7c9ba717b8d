"""The confidentiality rule on every path to the data, not only the section pages (DESIGN §2):
imports, events that change figures, badges and filters computed from purchases, sales' view of
other owners' clients."""
import io
from decimal import Decimal

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients.models import ClientConfidential, ServiceEvent
from crmweb.extensions import db
from tests.clients.helpers import SECRET, make_client
from tests.conftest import gen_user, log_in

MOBILE = "13900001111"


def _upload(client, text: str):
    return client.post("/clients/import", data={"file": (io.BytesIO(text.encode()), "guess.csv")},
                       content_type="multipart/form-data")


def _archive(app, client_id):
    with app.app_context():
        archive = db.session.get(ClientConfidential, client_id)
        db.session.expunge_all()
        return archive


def _audit(app, action):
    with app.app_context():
        return db.session.execute(sa.select(AuditEvent.target_id, AuditEvent.detail)
                                  .where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _summary(page: str) -> str:
    return page.split('<p class="summary">')[1].split("</p>")[0]


# --- import -----------------------------------------------------------------------------------

def test_an_import_cannot_guess_or_overwrite_another_owners_confidential_values(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, contacts=[{"name": "赵磊", "mobile": "+86" + MOBILE}], secret=True)
    log_in(client, gen_user(app, "supervisor").username)  # may change any archive, not read its secrets
    answers = []
    for guess in (SECRET, "a wrong guess"):
        page = _upload(client, f"客户名称,联系人,手机,往来银行\n徐州华通机械有限公司,赵磊,{MOBILE},{guess}\n"
                       ).get_data(as_text=True)
        assert "保密列未导入" in page
        answers.append(_summary(page))
    assert answers[0] == answers[1]  # a right guess and a wrong one get the same answer
    import_id = page.split("/clients/import/")[1].split('"')[0]
    assert client.post(f"/clients/import/{import_id}").status_code == 302
    assert _archive(app, client_id).banks == SECRET
    assert [row.target_id for row in _audit(app, "clients.import_previewed")] == ["csv", "csv"]


def test_a_confidential_change_through_an_import_is_audited_per_client(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, contacts=[{"name": "赵磊", "mobile": "+86" + MOBILE}])
    log_in(client, gen_user(app, "manager").username)
    page = _upload(client, f"客户名称,联系人,手机,往来银行\n徐州华通机械有限公司,赵磊,{MOBILE},招商银行\n"
                   "潍坊新华印刷有限公司,李娜,13900007001,工商银行\n").get_data(as_text=True)
    assert "保密列未导入" not in page
    import_id = page.split("/clients/import/")[1].split('"')[0]
    assert client.post(f"/clients/import/{import_id}").status_code == 302
    assert _archive(app, client_id).banks == "招商银行"
    changes = _audit(app, "archive.changed")
    assert (str(client_id), "import:banks") in changes and len(changes) == 2  # and the new client


# --- events -----------------------------------------------------------------------------------

def _sale(amount):
    return {"kind": "sale", "occurred_at": "2026-11-01T09:00", "product": "数控机床", "amount": amount}


def test_recording_a_sale_needs_the_right_to_change_the_archive(app, client):
    client_id = make_client(app, gen_user(app, "specialist"))
    log_in(client, gen_user(app, "service").username)
    assert client.post(f"/clients/{client_id}/events", data=_sale("123456")).status_code == 403
    assert _archive(app, client_id) is None
    assert _audit(app, "archive.denied")[-1].detail == "sale"
    # A repair without an amount changes no figures: service staff record it.
    response = client.post(f"/clients/{client_id}/events", data={
        "kind": "repair", "occurred_at": "2026-11-01T09:00", "product": "数控机床"})
    assert response.status_code == 302


def test_a_sale_is_audited_as_an_archive_change_and_amounts_are_bounded(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    assert client.post(f"/clients/{client_id}/events", data=_sale("999999999999")).status_code == 422
    assert client.post(f"/clients/{client_id}/events", data=_sale("5000")).status_code == 302
    assert _audit(app, "archive.changed")[-1].detail == "sale:total_purchases,largest_purchase"
    with app.app_context():
        db.session.get(ClientConfidential, client_id).total_purchases = Decimal("999999999990.00")
        db.session.commit()
    assert client.post(f"/clients/{client_id}/events", data=_sale("100")).status_code == 422
    assert _archive(app, client_id).total_purchases == Decimal("999999999990.00")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ServiceEvent.id))) == 1


# --- VIP eligibility ------------------------------------------------------------------------------

def test_vip_eligibility_is_not_shown_to_who_may_not_read_the_dealings(app, client):
    client_id = make_client(app, gen_user(app, "specialist"), vip_status="eligible")
    log_in(client, gen_user(app, "specialist").username)
    assert "符合 VIP 条件" not in client.get(f"/clients/{client_id}").get_data(as_text=True)
    listing = client.get("/clients?vip=eligible").get_data(as_text=True)
    assert 'value="eligible"' not in listing
    # "Not VIP" lists the eligible client too: the difference would give it away.
    assert f'id="client-{client_id}"' in client.get("/clients?vip=none").get_data(as_text=True)
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    assert "符合 VIP 条件" in manager.get(f"/clients/{client_id}").get_data(as_text=True)
    assert f'id="client-{client_id}"' not in manager.get("/clients?vip=none").get_data(as_text=True)


# --- sales and other owners' clients ------------------------------------------------------------

def test_sales_see_other_owners_clients_by_name_tier_and_owner_only(app, client):
    owner = gen_user(app, "sales")
    client_id = make_client(app, owner, contacts=[{"name": "赵磊", "mobile": "+86" + MOBILE,
                                                   "email": "zhao@example.cn"}])
    log_in(client, gen_user(app, "sales").username)
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "徐州华通机械有限公司" in page and owner.display_name in page and "申请查阅" in page
    assert "赵磊" not in page and "139 0000 1111" not in page and "zhao@example.cn" not in page
    assert client.get(f"/clients/{client_id}/sections/basics").status_code == 403
    assert client.get(f"/clients/{client_id}/sections/basics",
                      headers={"HX-Request": "true"}).status_code == 403
    assert client.post(f"/clients/{client_id}/interactions", data={
        "kind": "visit", "occurred_at": "2026-11-01T09:00", "content": "拜访"}).status_code == 403
    own = app.test_client()
    log_in(own, owner.username)
    assert "赵磊" in own.get(f"/clients/{client_id}").get_data(as_text=True)


def test_sales_with_a_grant_see_the_client(app, client):
    from crmweb.clients.models import ArchiveAccessRequest
    from crmweb.timeutil import utcnow

    client_id = make_client(app, gen_user(app, "sales"), contacts=[{"name": "赵磊"}])
    other = gen_user(app, "sales")
    with app.app_context():
        db.session.add(ArchiveAccessRequest(client_id=client_id, requester_id=other.id, reason="跟进",
                                            status="approved", created_at=utcnow(),
                                            expires_at=utcnow().replace(year=2100)))
        db.session.commit()
    log_in(client, other.username)
    assert "赵磊" in client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert client.get(f"/clients/{client_id}/sections/basics").status_code == 200
