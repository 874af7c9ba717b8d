"""Role × endpoint × (page, fragment, export), across every area: a client's confidential parts —
the archive's sections, a sale on its timeline, a contract's amount, a confidential file, an
evaluation's reason — carry marker strings, and every GET route of the app is asked for, with the
ids of that client's records and the demo data's, as a page, as an htmx fragment, searched for the
client and as each export format. The markers reach the client's owner, managers and directors
(evaluations also the supervisor who makes them), and nobody else, on any of them."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crmweb.activities.models import Activity
from crmweb.areas import AREAS
from crmweb.bookings.models import Booking, MeetingRoom
from crmweb.callbacks.models import Callback
from crmweb.cases.models import Case
from crmweb.clients.models import Client, ServiceEvent
from crmweb.clients.sections import SECTIONS
from crmweb.documents.models import Document
from crmweb.extensions import db
from crmweb.gifts.models import Campaign, Gift
from crmweb.kb.models import Article
from crmweb.messages.models import GreetingRule, MessageSend, MessageTemplate
from crmweb.plans.models import Plan
from crmweb.reports.models import IndicatorSet
from crmweb.timeutil import local_zone, utcnow
from tests.cases.helpers import open_case
from tests.clients.helpers import SECRET, make_client
from tests.conftest import gen_user, log_in
from tests.documents.test_files import PDF, upload
from tests.reports.test_evaluations import approved_set, indicator_ids
from tests.test_hostile_forms import demo  # noqa: F401 (the fixture: every area's demo data)

CONTRACT_AMOUNT = "24681.35"
FILE_NAME = "MKQ-财务报表.pdf"
EVALUATION_REASON = "MARKER-评估理由-5520"
MARKERS = (SECRET, "987654.32", "987,654.32", CONTRACT_AMOUNT, "24,681.35", "MKQ-", EVALUATION_REASON)
READERS = {"director", "manager", "owner"}
# Evaluations are also read by who makes them (the supervisor evaluates every client).
ALSO_READ_BY = {EVALUATION_REASON: {"supervisor"}}
NAME = "江阴澄矩精工有限公司"
# Routes a signed-in person never reaches through the app's own pages: links sent to clients.
TOKEN_ROUTES = re.compile(r"<token>")
# The rows routes take the id of: the confidential client's own where it has one, else the first.
FIRST_ROW_OF = {
    "activity_id": Activity, "article_id": Article, "booking_id": Booking, "callback_id": Callback,
    "campaign_id": Campaign, "case_id": Case, "gift_id": Gift, "plan_id": Plan, "room_id": MeetingRoom,
    "rule_id": GreetingRule, "send_id": MessageSend, "set_id": IndicatorSet, "template_id": MessageTemplate,
}


def text_of(response) -> str:
    """What a person would read in the answer, exports opened."""
    if "spreadsheetml" in response.content_type:
        sheets = load_workbook(io.BytesIO(response.data), read_only=True).worksheets
        return "\n".join(str(value) for sheet in sheets for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
    if "csv" in response.content_type:
        raw = response.data.decode("utf-8-sig") if response.data.startswith(b"\xef\xbb\xbf") \
            else response.data.decode("gb18030")
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(raw)))
    return response.data.decode("utf-8", errors="replace")


def confidential_client(app, demo):  # noqa: F811 (the fixture's value)
    """The client with a marker in each confidential part, and the ids of its records."""
    owner = gen_user(app, "sales", "matrix.owner")
    client_id = make_client(app, owner, NAME, tier="key", secret=True,
                            contacts=[{"name": "曾小明", "mobile": "+8613812345678"}])
    as_owner = app.test_client()
    log_in(as_owner, owner.username)
    with app.app_context():
        today = utcnow().astimezone(local_zone()).date()
    saved = as_owner.post(f"/clients/{client_id}/contracts/new", data={
        "number": "HT-MATRIX-1", "title": "年度维保合同", "amount": CONTRACT_AMOUNT, "signing_due_on": "",
        "signed_on": today.isoformat(), "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=20)).isoformat(), "renewal_notice_days": "15", "notes": ""})
    assert saved.status_code == 303, saved.get_data(as_text=True)
    contract_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    assert upload(as_owner, f"client/{client_id}", FILE_NAME, PDF, confidential="y").status_code == 303
    supervisor, manager = app.test_client(), app.test_client()
    log_in(supervisor, demo["supervisor"])
    log_in(manager, demo["manager"])
    set_id = approved_set(app, supervisor, manager, name="矩阵评估表")
    scores = {f"score-{i}": "66" for i in indicator_ids(app, set_id)}
    evaluated = supervisor.post(f"/clients/{client_id}/evaluations",  # C would say improve
                                data={**scores, "advice": "end", "override_reason": EVALUATION_REASON})
    assert evaluated.status_code == 303, evaluated.get_data(as_text=True)
    open_case(app, owner, client_id, utcnow())
    with app.app_context():
        client_row = db.session.get(Client, client_id)
        ids = {
            "client_id": client_id,
            "contact_id": client_row.contacts[0].id,
            "contract_id": contract_id,
            "document_id": db.session.scalar(sa.select(sa.func.max(Document.id))),
            "record_id": db.session.scalar(
                sa.select(ServiceEvent.id).where(ServiceEvent.client_id == client_id)),
            "kind": "events",
            "export_format": "csv",
        }
        for name, model in FIRST_ROW_OF.items():
            own = [model.client_id == client_id] if hasattr(model, "client_id") else []
            ids[name] = db.session.scalar(sa.select(sa.func.min(model.id)).where(*own)) \
                or db.session.scalar(sa.select(sa.func.min(model.id)))
    return owner, ids


def requests_for(app, ids):
    """(label, url, headers) for every GET route: page and fragment, and for the routes without
    ids, the client searched for and each export format."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or TOKEN_ROUTES.search(rule.rule):
            continue
        if "name" in rule.arguments:
            names = SECTIONS if "sections" in rule.rule else [area.blueprint.name for area in AREAS
                                                                if area.today_cards]
        else:
            names = [None]
        formats = ["csv", "xlsx"] if "export_format" in rule.arguments else [None]
        for name in names:
            for export_format in formats:
                values = {**ids, "name": name, "export_format": export_format}
                missing = rule.arguments - {key for key, value in values.items() if value is not None}
                if missing:
                    continue
                url = app.url_map.bind("localhost").build(
                    rule.endpoint, {key: values[key] for key in rule.arguments})
                yield rule.rule, url, {}
                yield f"{rule.rule} (fragment)", url, {"HX-Request": "true"}
                if not rule.arguments:
                    for query in (f"q={NAME[:4]}", "format=csv", "format=xlsx"):
                        yield f"{rule.rule}?{query}", f"{url}?{query}", {}


@pytest.mark.parametrize("role", ["director", "manager", "owner", "supervisor", "specialist",
                                  "sales", "service", "reception", "admin"])
def test_confidential_parts_reach_only_their_readers_on_every_route(app, demo, role):  # noqa: F811
    owner, ids = confidential_client(app, demo)
    viewer = app.test_client()
    assert log_in(viewer, owner.username if role == "owner" else demo[role]).status_code == 302
    reader = role in READERS
    seen, asked, errors, leaks = set(), 0, [], []
    for label, url, headers in requests_for(app, ids):
        response = viewer.get(url, headers=headers)
        asked += 1
        if response.status_code >= 500:
            errors.append((label, response.status_code))
            continue
        text = text_of(response)
        shown = {marker for marker in MARKERS if marker in text}
        seen |= shown
        leaked = {marker for marker in shown if not reader and role not in ALSO_READ_BY.get(marker, ())}
        if leaked:
            leaks.append((label, sorted(leaked)))
    assert asked > 150
    assert errors == []
    assert leaks == [], leaks
    if reader:  # the markers are where they belong, so their absence elsewhere means something
        assert {SECRET, "987,654.32", CONTRACT_AMOUNT, "MKQ-", EVALUATION_REASON} <= seen, seen
