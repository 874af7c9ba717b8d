"""Case pages: opened at the front desk (which reads nothing of the archive), worked by the owner,
kept from confidential sections for service staff; the deadline table; reports on a hand-computed
set; the today cards."""

import io
import re
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from crmweb.auth.models import User
from crmweb.cases import services
from crmweb.cases.models import Case, CaseDeadline
from crmweb.extensions import db
from tests.cases.helpers import open_case
from tests.clients.helpers import SECRET, make_client
from tests.conftest import gen_user

CASE = {
    "kind": "complaint",
    "channel": "phone",
    "severity": "normal",
    "cause": "quality",
    "product": "空压机",
    "description": "设备噪音大，客户要求上门",
}


def test_the_front_desk_opens_a_case_and_reads_nothing_of_the_archive(app, client, login_as):
    owner = gen_user(app, "specialist")
    client_id = make_client(
        app, owner, "华通机械有限公司", secret=True, contacts=[{"name": "赵强", "mobile": "13912345678"}]
    )
    login_as("reception")
    picked = client.get("/cases/clients?client_q=华通").get_data(as_text=True)
    assert "华通机械有限公司" in picked and "13912345678" not in picked
    contacts = client.get(f"/cases/contacts?client_id={client_id}").get_data(as_text=True)
    assert "赵强" not in contacts
    assert client.post("/cases/new", data={**CASE, "cause": ""}).status_code == 422  # no client
    missing_cause = client.post("/cases/new", data={**CASE, "client_id": client_id, "cause": ""})
    assert missing_cause.status_code == 422 and "投诉请选择原因" in missing_cause.get_data(as_text=True)
    opened = client.post("/cases/new", data={**CASE, "client_id": client_id})
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/cases/new")
    with app.app_context():
        case = db.session.scalars(sa.select(Case)).one()
        assert (case.owner_id, case.opened_by_id is not None) == (owner.id, True)
    assert client.get(f"/cases/{case.id}").status_code == 403
    assert client.get("/cases").status_code == 403
    assert SECRET not in client.get("/cases/new").get_data(as_text=True)


def test_service_staff_work_a_case_without_ever_seeing_confidential_sections(app, client, login_as):
    agent = login_as("service")
    client_id = make_client(
        app,
        gen_user(app, "sales"),
        "华通机械有限公司",
        secret=True,
        contacts=[{"name": "赵强", "mobile": "13912345678"}],
    )
    case_id = open_case(app, agent, client_id, datetime.now(UTC))
    with app.app_context():
        services.assign(
            db.session.get(User, gen_user(app, "supervisor").id),
            db.session.get(Case, case_id),
            db.session.get(User, agent.id),
            datetime.now(UTC),
        )
    pages = [
        f"/cases/{case_id}",
        "/cases",
        f"/cases/{case_id}/suggestions",
        "/",
        "/today/cases",
        f"/cases/new?client={client_id}",
    ]
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, page
        assert SECRET not in answer.get_data(as_text=True), page
    assert client.get("/cases/reports").status_code == 403
    assert client.get("/cases/reports?format=xlsx").status_code == 403
    assert (
        client.post(
            f"/cases/{case_id}/notes", data={"text": "已电话联系", "to_client": "y", "channel": "phone"}
        ).status_code
        == 303
    )
    assert client.post(f"/cases/{case_id}/resolve", data={"resolution": ""}).status_code == 422
    assert client.post(f"/cases/{case_id}/resolve", data={"resolution": "已上门更换"}).status_code == 303
    other = app.test_client()
    login_as("specialist", on=other)
    assert other.post(f"/cases/{case_id}/notes", data={"text": "x"}).status_code == 403  # not theirs


def test_a_manager_keeps_the_deadline_table_and_the_working_hours(app, client, login_as):
    login_as("manager")
    page = client.get("/cases/setup").get_data(as_text=True)
    assert page.count('id="case-deadline-') == 8
    row = {
        "kind": "question",
        "severity": "",
        "tier": "key",
        "response_amount": "1",
        "response_unit": "hours",
        "resolution_amount": "1",
        "resolution_unit": "days",
    }
    assert client.post("/cases/deadlines", data=row).status_code == 303
    assert client.post("/cases/deadlines", data=row).status_code == 422  # that line exists
    settings = {
        "working_hours": "08:30-12:00,13:00-17:30",
        "warn_minutes": "30",
        "confirm_least": "4",
    }
    assert client.post("/cases/settings", data={**settings, "working_hours": "9-5"}).status_code == 422
    assert client.post("/cases/settings", data=settings).status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseDeadline)) == 9
        assert services.working_hours()[0].starts.isoformat() == "08:30:00"
    for role in ("supervisor", "specialist", "service", "reception", "admin"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/cases/setup").status_code == 403


def test_reports_on_a_hand_computed_set(app, client, login_as):
    owner = login_as("supervisor")
    client_id = make_client(app, owner, "华通机械有限公司")
    monday_9 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    fast, slow = (open_case(app, owner, client_id, monday_9, description=text) for text in ("噪音", "漏油"))
    open_case(app, owner, client_id, monday_9, kind="question", cause=None, description="咨询价格")
    with app.app_context():
        actor = db.session.get(User, owner.id)
        # Answered after 1 and 6 working hours (the 4-hour deadline met once); one resolved after 2 hours.
        services.add_note(
            actor, db.session.get(Case, fast), "回复", True, "phone", datetime(2026, 11, 23, 2, tzinfo=UTC)
        )
        services.add_note(
            actor,
            db.session.get(Case, slow),
            "回复",
            True,
            "phone",
            datetime(2026, 11, 23, 8, 30, tzinfo=UTC),
        )
        services.resolve(actor, db.session.get(Case, fast), "已处理", datetime(2026, 11, 23, 3, tzinfo=UTC))
    page = client.get("/cases/reports?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert re.search(r'id="report-total">3<', page)
    assert "中位数 1.0，P90 6.0，按期 1 / 2" in page  # first responses: 1 h and 6 h
    assert "中位数 2.0，P90 2.0，按期 1 / 1" in page  # resolution
    assert "33.3%" in page  # one of three breached
    workbook = client.get("/cases/reports?from=2026-11-01&to=2026-11-30&format=xlsx")
    kinds = load_workbook(io.BytesIO(workbook.data))["按类别"]
    assert sorted(kinds.iter_rows(min_row=2, values_only=True)) == [("咨询", 1), ("投诉", 2)]
    assert client.get("/cases/reports?from=nonsense").status_code == 200


def test_breached_and_near_cases_stand_out_on_todays_page(app, client, login_as):
    owner = login_as("specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    long_ago = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    case_id = open_case(app, owner, client_id, long_ago)
    mine = client.get("/today/cases").get_data(as_text=True)
    assert f'id="today-case-{case_id}"' in mine and "已超时" in mine
    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    team = supervisor.get("/today/cases").get_data(as_text=True)
    assert f'id="today-team-case-{case_id}"' in team
    listed = supervisor.get("/cases").get_data(as_text=True)
    assert f'<tr id="case-{case_id}">' in listed
    # Two complaints within half a year (the first was long before): a repeat complainer.
    for text in ("又坏了", "还是坏"):
        open_case(app, owner, client_id, datetime.now(UTC), description=text)
    watch = supervisor.get("/cases").get_data(as_text=True)
    watch = watch[watch.index('id="repeat-complainers"'):]
    assert "华通机械有限公司" in watch and "2 次" in watch
