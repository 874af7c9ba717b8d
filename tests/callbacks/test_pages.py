"""The rules table and the plan's numbers, kept by managers; the callback list and the "today"
cards per role."""
import re
from datetime import timedelta

import sqlalchemy as sa

from crmweb.callbacks.models import CallbackRule
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.settings import get_setting
from crmweb.timeutil import utcnow
from tests.callbacks.helpers import a_working_day_moment, record_event
from tests.clients.helpers import make_client
from tests.clients.test_query_counts import statements_for
from tests.conftest import gen_user

NEW_RULE = {"event_kind": "installation", "starts_after": "30", "ends_after": "45", "unit": "days",
            "content_type": "advise", "purpose": "安装一个月后提供保养建议", "assignee_id": "", "active": "y"}


def test_a_manager_keeps_the_rules_table_and_nobody_else(app, client, login_as):
    login_as("manager")
    page = client.get("/callbacks/rules").get_data(as_text=True)
    assert page.count('id="callback-rule-') == 8 and "了解对安装人员的满意度" in page
    assert client.post("/callbacks/rules", data=NEW_RULE).status_code == 303
    twice = client.post("/callbacks/rules", data=NEW_RULE)
    assert twice.status_code == 422 and "已有一条同一事件、同一时间的规则" in twice.get_data(as_text=True)
    backwards = client.post("/callbacks/rules", data={**NEW_RULE, "starts_after": "50"})
    assert backwards.status_code == 422 and "结束不能早于开始" in backwards.get_data(as_text=True)
    with app.app_context():
        rule_id = db.session.scalar(sa.select(CallbackRule.id).where(CallbackRule.starts_after == 30))
    assert client.post(f"/callbacks/rules/{rule_id}", data={**NEW_RULE, "active": ""}).status_code == 303
    for tries, status in (("0", 422), ("2", 303)):
        saved = client.post("/callbacks/settings", data={"max_tries": tries, "company_name": "华通"})
        assert saved.status_code == status
    with app.app_context():
        assert db.session.get(CallbackRule, rule_id).active is False
        assert get_setting("callbacks.max_tries") == 2
    for role in ("supervisor", "specialist", "service", "admin"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/callbacks/rules").status_code == 403
        assert other.post("/callbacks/rules", data=NEW_RULE).status_code == 403


def test_today_cards_my_calls_and_for_supervisors_the_team(app, client, login_as):
    me = login_as("specialist")
    colleague = gen_user(app, "service")
    mine = make_client(app, me, "华通机械有限公司")
    theirs = make_client(app, colleague, "金山化工有限公司")
    for client_id, owner in ((mine, me), (theirs, colleague)):
        record_event(app, owner, client_id, "complaint", a_working_day_moment(app))
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('id="today-callbacks"'):]
    card = card[:card.index("</section>")]
    assert "华通机械有限公司" in card and "金山化工有限公司" not in card
    assert 'id="today-team-callbacks"' not in page
    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    with app.app_context():  # the colleague's other client is a week past its rhythm
        late = db.session.get(Client, make_client(app, colleague, "泰州药业有限公司"))
        late.last_contact_at = utcnow() - timedelta(days=37)
        db.session.commit()
    team = supervisor.get("/today/callbacks").get_data(as_text=True)
    row = re.search(rf"<tr><td><a [^>]*>{colleague.display_name}</a></td>(.*?)</tr>", team, re.S).group(1)
    # The complaint's callback (due today, or overdue when the tests run on a day off); one client
    # out of touch.
    overdue, due, out_of_touch = (int(n) for n in re.findall(r"<td>(?:<a [^>]*>)?(\d+)", row))
    assert (overdue + due, out_of_touch) == (1, 1)
    everyone = supervisor.get("/callbacks?assignee=all").get_data(as_text=True)
    assert len(re.findall(r'<tr id="callback-\d+">', everyone)) == 2
    only_theirs = supervisor.get(f"/callbacks?assignee={colleague.id}", headers={"HX-Request": "true"})
    assert only_theirs.get_data(as_text=True).count('<tr id="callback-') == 1
    assert supervisor.get("/today/nothing").status_code == 404


def test_the_callback_list_costs_the_same_for_3_and_30_calls(app, client, login_as):
    login_as("supervisor")
    owners = [gen_user(app, "specialist") for _ in range(3)]

    def add_calls(start, count):
        for n in range(start, start + count):
            owner = owners[n % 3]
            client_id = make_client(app, owner, f"客户{n:03d}有限公司")
            record_event(app, owner, client_id, "complaint", a_working_day_moment(app))

    add_calls(0, 3)
    few = statements_for(app, client, "/callbacks?assignee=all")
    add_calls(3, 27)
    assert statements_for(app, client, "/callbacks?assignee=all") == few
