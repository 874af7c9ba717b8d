"""The evaluation form drafted by a supervisor and approved by a manager in versions; clients
evaluated (live total, the archive's proposals, advice overridden only with a reason); the graded
roster; evaluations as confidential as the client's dealings."""

import io
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from crmweb.auth.models import User
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.reports.evaluations import RosterFilters, roster_page
from crmweb.reports.models import Evaluation, IndicatorSet
from tests.clients.helpers import make_client
from tests.conftest import gen_user

SET = {
    "name": "2027 客户关系评估表",
    "threshold_a": "85",
    "threshold_b": "70",
    "threshold_c": "55",
    "advice_a": "maintain",
    "advice_b": "maintain",
    "advice_c": "improve",
    "advice_d": "end",
    "indicators-0-name": "采购量",
    "indicators-0-weight": "3",
    "indicators-0-source": "purchases",
    "indicators-1-name": "满意度",
    "indicators-1-weight": "2",
    "indicators-1-source": "satisfaction",
    "indicators-2-name": "合作态度",
    "indicators-2-weight": "1",
    "indicators-2-source": "",
}


def approved_set(app, supervisor, manager, **changes) -> int:
    assert supervisor.post("/reports/indicators/new", data={**SET, **changes}).status_code == 303
    with app.app_context():
        set_id = db.session.scalar(sa.select(sa.func.max(IndicatorSet.id)))
    assert manager.post(f"/reports/indicators/{set_id}/approve").status_code == 303
    return set_id


def indicator_ids(app, set_id) -> list[int]:
    with app.app_context():
        return [indicator.id for indicator in db.session.get(IndicatorSet, set_id).indicators]


def test_a_form_drafted_by_a_supervisor_approved_by_a_manager_in_versions(app, client, login_as):
    login_as("supervisor")
    manager = app.test_client()
    login_as("manager", on=manager)
    wrong = client.post("/reports/indicators/new", data={**SET, "threshold_b": "90"})
    assert wrong.status_code == 422 and "A &gt; B &gt; C" in wrong.get_data(as_text=True)
    assert client.post("/reports/indicators/new", data={**SET, "indicators-0-weight": ""}).status_code == 422
    first = approved_set(app, client, manager)
    assert client.post(f"/reports/indicators/{first}/approve").status_code == 403  # not the supervisor's
    assert client.post(f"/reports/indicators/{first}/edit", data=SET).status_code == 409  # approved stays
    new_form = client.get("/reports/indicators/new").get_data(as_text=True)
    assert "采购量" in new_form and "（新版本）" in new_form  # a new version starts from the one in use
    second = approved_set(app, client, manager, name="2028 评估表", threshold_a="90")
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(IndicatorSet.id, IndicatorSet.status)).all())
    assert statuses == {first: "retired", second: "approved"}


def test_a_client_evaluated_with_the_archives_proposals_and_a_live_total(app, client, login_as):
    login_as("supervisor")
    manager = app.test_client()
    login_as("manager", on=manager)
    owner = gen_user(app, "sales")
    client_id = make_client(app, owner, "华通机械有限公司", tier="general")
    with app.app_context():  # satisfaction 4 on a recent call → proposed 75
        now = datetime.now(UTC)
        timeline.record_interaction(
            db.session.get(User, owner.id),
            db.session.get(Client, client_id),
            {
                "kind": "callback",
                "channel": "phone",
                "occurred_at": now - timedelta(days=3),
                "content": "回访",
                "satisfaction": 4,
            },
            now,
        )
    set_id = approved_set(app, client, manager)
    purchases, satisfaction, attitude = indicator_ids(app, set_id)
    page = client.get(f"/clients/{client_id}/evaluations").get_data(as_text=True)
    assert (
        f'id="score-{satisfaction}" name="score-{satisfaction}" inputmode="decimal" size="5"\n'
        f'                   value="75"' in page
    )
    assert "近 12 个月回访平均满意度 4.0/5" in page
    assert "近 12 个月购买" not in page  # the dealings are not the supervisor's to read
    scores = {
        f"score-{purchases}": "90",
        f"score-{satisfaction}": "75",
        f"score-{attitude}": "60",
        f"basis-{purchases}": "年采购额居前",
    }
    live = client.post(f"/clients/{client_id}/evaluations/check", data=scores, headers={"HX-Request": "true"})
    # (90×3 + 75×2 + 60×1) / 6 = 80.0 → B, maintain
    assert "总分 80.0，B 级，建议：保持" in live.get_data(as_text=True)
    refused = client.post(f"/clients/{client_id}/evaluations", data={**scores, "advice": "end"})
    assert refused.status_code == 422 and "请说明理由" in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/clients/{client_id}/evaluations", data={**scores, f"score-{attitude}": "120"}
        ).status_code
        == 422
    )
    saved = client.post(f"/clients/{client_id}/evaluations", data={**scores, "advice": "maintain"})
    assert saved.status_code == 303
    with app.app_context():
        evaluation = db.session.scalars(sa.select(Evaluation)).one()
        assert (evaluation.total, evaluation.grade, evaluation.advice, evaluation.set_id) == (
            80,
            "B",
            "maintain",
            set_id,
        )
        assert {score.indicator_id: score.basis for score in evaluation.scores}[purchases] == "年采购额居前"
    # The history shows each indicator's score with the basis given for it.
    shown = client.get(f"/clients/{client_id}/evaluations").get_data(as_text=True)
    history = shown[shown.index(f'id="evaluation-{evaluation.id}-scores"'):]
    assert "<dd>90.0 · 依据：年采购额居前</dd>" in history and "<dd>60.0</dd>" in history
    # The roster: B suggests an important client; the supervisor accepts it.
    roster = client.get("/reports/roster").get_data(as_text=True)
    assert f'id="roster-{client_id}"' in roster and f'id="accept-tier-{client_id}"' in roster
    assert client.post(f"/reports/roster/{client_id}/tier").status_code == 303
    with app.app_context():
        assert db.session.get(Client, client_id).tier == "important"


def test_evaluations_are_as_confidential_as_the_dealings(app, client, login_as):
    login_as("supervisor")
    manager = app.test_client()
    login_as("manager", on=manager)
    owner = app.test_client()
    owner_user = login_as("sales", on=owner)
    client_id = make_client(app, owner_user, "华通机械有限公司")
    set_id = approved_set(app, client, manager)
    ids = indicator_ids(app, set_id)
    client.post(f"/clients/{client_id}/evaluations", data={f"score-{i}": "50" for i in ids})
    readers = {"director", "manager"}
    for role in ("director", "manager", "specialist", "sales", "service", "reception", "admin"):
        other = app.test_client()
        login_as(role, on=other)
        page = other.get(f"/clients/{client_id}/evaluations")
        assert (page.status_code == 200) == (role in readers), role
        if role not in readers:
            assert "历次评估" not in page.get_data(as_text=True)
        assert other.get("/reports/roster").status_code == (200 if role in readers else 403), role
    assert owner.get(f"/clients/{client_id}/evaluations").status_code == 200  # the client's owner
    assert 'id="client-evaluations"' in owner.get(f"/clients/{client_id}").get_data(as_text=True)
    other_sales = app.test_client()
    login_as("sales", on=other_sales)
    assert 'id="client-evaluations"' not in other_sales.get(f"/clients/{client_id}").get_data(as_text=True)
    assert client.get("/reports/roster?format=xlsx").status_code == 403  # export: managers and directors
    workbook = manager.get("/reports/roster?format=xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][:2] == ("华通机械有限公司", "D")


def test_the_roster_shows_grade_changes_and_pages_through_every_client(app, client, login_as):
    login_as("supervisor")
    manager = app.test_client()
    login_as("manager", on=manager)
    owner = gen_user(app, "sales")
    rising, steady, once = (make_client(app, owner, name) for name in ("甲公司", "乙公司", "丙公司"))
    ids = indicator_ids(app, approved_set(app, client, manager))

    def evaluate(client_id, score):
        data = {f"score-{i}": score for i in ids} | {"advice": "maintain", "override_reason": "复核"}
        assert client.post(f"/clients/{client_id}/evaluations", data=data).status_code == 303

    for client_id, scores in ((rising, ("50", "90")), (steady, ("50", "50")), (once, ("80",))):
        for score in scores:
            evaluate(client_id, score)
    changed = client.get("/reports/roster?changed=1").get_data(as_text=True)
    assert f'id="roster-{rising}"' in changed and "原 D" in changed
    assert f'id="roster-{steady}"' not in changed and f'id="roster-{once}"' not in changed
    grade_d = client.get("/reports/roster?grade=D").get_data(as_text=True)
    assert f'id="roster-{steady}"' in grade_d and f'id="roster-{rising}"' not in grade_d
    with app.app_context():
        second = roster_page(RosterFilters(), "2", size=2)
    assert (second.total, second.pages, [row.client.id for row in second.items]) == (3, 2, [steady])
    fragment = client.get("/reports/roster?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.startswith('<section class="card" id="roster-table">')
