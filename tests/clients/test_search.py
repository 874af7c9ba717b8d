"""Finding a client fast: name, infix, pinyin, initials, contact, phone tail, email; filters."""
import re
from datetime import timedelta

import pytest

from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.clients.helpers import DEFAULT_RHYTHMS, make_client
from tests.conftest import gen_user, log_in


@pytest.fixture
def archive(app, client):
    manager = gen_user(app, "manager")
    owner = gen_user(app, "specialist")
    ids = {
        "huatong": make_client(app, owner, "徐州华通机械有限公司", contacts=[
            {"name": "曾小明", "mobile": "+8613812345678", "email": "zeng@huatong.cn"}]),
        "jinling": make_client(app, owner, "南京金陵电子科技股份有限公司", tier="key", contacts=[
            {"name": "单丽华", "mobile": "+8613900001111"}]),
        "hengrun": make_client(app, manager, "苏州恒润纺织有限公司", stage="prospect"),
    }
    log_in(client, manager.username)
    return ids


def found(client, query, **filters) -> list[int]:
    response = client.get("/clients", query_string={"q": query, **filters},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return [int(pk) for pk in re.findall(r'id="client-(\d+)"', page)]


@pytest.mark.parametrize("query, expected", [
    ("徐州华通", "huatong"), ("华通", "huatong"), ("xzht", "huatong"), ("XZHT", "huatong"),
    ("xuzhouhuatong", "huatong"), ("huatong", "huatong"), ("曾小明", "huatong"), ("zxm", "huatong"),
    ("zengxiaoming", "huatong"), ("5678", "huatong"), ("138 1234 5678", "huatong"),
    ("zeng@huatong", "huatong"), ("shanlihua", "jinling"), ("金陵", "jinling"), ("1111", "jinling"),
    ("恒润", "hengrun"),
])
def test_search_finds_the_client(archive, client, query, expected):
    assert found(client, query) == [archive[expected]]


def test_search_with_nothing_matching_says_so(archive, client):
    response = client.get("/clients?q=不存在的公司", headers={"HX-Request": "true"})
    assert "没有找到符合条件的客户" in response.get_data(as_text=True)


def test_a_name_match_ranks_before_a_contact_match(app, archive, client):
    owner = gen_user(app, "sales")
    named = make_client(app, owner, "小明贸易有限公司")
    assert found(client, "小明") == [named, archive["huatong"]]


def test_filters_by_stage_tier_and_owner(archive, client, app):
    assert found(client, "", stage="prospect") == [archive["hengrun"]]
    assert found(client, "", tier="key") == [archive["jinling"]]
    with app.app_context():
        owner_id = db.session.get(Client, archive["huatong"]).owner_id
    assert sorted(found(client, "", owner=owner_id)) == sorted([archive["huatong"], archive["jinling"]])


def test_overdue_for_contact_lists_clients_not_contacted_in_time(app, archive, client):
    def contacted(key, days_ago, created_days_ago=0):
        archived = db.session.get(Client, archive[key])
        archived.created_at = utcnow() - timedelta(days=created_days_ago)
        archived.last_contact_at = utcnow() - timedelta(days=days_ago) if days_ago is not None else None

    with app.app_context():
        contacted("huatong", 3)                          # a customer, 3 days ago: fine
        contacted("hengrun", 8)                          # a prospect, 8 days ago: overdue
        contacted("jinling", None, created_days_ago=31)  # a customer never contacted in 31 days
        db.session.commit()
    assert sorted(found(client, "", overdue="1")) == sorted([archive["hengrun"], archive["jinling"]])
    with app.app_context():
        db.session.get(Client, archive["hengrun"]).stage = "lost"  # lost clients are never due
        db.session.commit()
    assert found(client, "", overdue="1") == [archive["jinling"]]


def test_a_manager_changes_the_rhythm_and_every_due_date_follows(app, archive, client):
    with app.app_context():
        for name in ("huatong", "jinling"):  # a general and a key customer, both 10 days ago
            db.session.get(Client, archive[name]).last_contact_at = utcnow() - timedelta(days=10)
        db.session.commit()
    assert archive["huatong"] not in found(client, "", overdue="1")
    tier = db_value(app, archive["huatong"], "tier")
    response = client.post("/clients/settings", data={
        "single_purchase_min": "10000", "monthly_purchase_min": "20000", "grant_days": "7",
        **DEFAULT_RHYTHMS, f"customer_days_{tier}": "9"})
    assert response.status_code == 302
    assert archive["huatong"] in found(client, "", overdue="1")
    assert tier == "general" and archive["jinling"] not in found(client, "", overdue="1")  # key: 30 days


def test_a_client_moved_to_another_tier_takes_that_tiers_rhythm(app, archive, client):
    with app.app_context():
        db.session.get(Client, archive["huatong"]).last_contact_at = utcnow() - timedelta(days=10)
        db.session.commit()
    client.post("/clients/settings", data={"single_purchase_min": "10000", "monthly_purchase_min": "20000",
                                           "grant_days": "7", **DEFAULT_RHYTHMS, "customer_days_key": "5"})
    assert archive["huatong"] not in found(client, "", overdue="1")
    assert client.post(f"/clients/{archive['huatong']}/tier", data={"tier": "key"}).status_code == 302
    assert archive["huatong"] in found(client, "", overdue="1")


def test_a_rhythm_out_of_range_is_refused_beside_its_field(client, login_as):
    login_as("manager")
    data = {"single_purchase_min": "10000", "monthly_purchase_min": "20000", "grant_days": "7",
            **DEFAULT_RHYTHMS, "customer_days_key": "0"}
    response = client.post("/clients/settings", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.count("请填写天数。") == 1  # 0 days: beside its own field
    assert 'name="customer_days_key"' in page.split("请填写天数。")[0].rsplit("<td>", 1)[1]


def db_value(app, client_id, column):
    with app.app_context():
        return getattr(db.session.get(Client, client_id), column)


def test_search_page_is_a_full_page_with_the_query_when_opened_directly(archive, client):
    page = client.get("/clients?q=华通").get_data(as_text=True)
    assert "<html" in page and 'value="华通"' in page and f'id="client-{archive["huatong"]}"' in page


def test_garbage_in_the_url_is_ignored_not_an_error(archive, client):
    response = client.get("/clients?stage=evil&tier=%27&page=-3&owner=abc&q=" + "x" * 5000)
    assert response.status_code == 200


def test_reception_and_admin_cannot_search_clients(app):
    for role in ("reception", "admin"):
        viewer = app.test_client()
        user = gen_user(app, role)
        log_in(viewer, user.username)
        assert viewer.get("/clients?q=华通").status_code == 403


def test_a_query_matching_more_than_the_search_reads_says_the_list_is_partial(
        app, archive, client, monkeypatch):
    from crmweb.clients import search
    monkeypatch.setattr(search, "SEARCH_CANDIDATE_CAP", 3)
    page = client.get("/clients?q=有限公司", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "只列出了一部分" in page
    page = client.get("/clients?q=恒润", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "只列出了一部分" not in page


def test_sales_open_the_list_on_their_own_clients_and_tick_only_what_they_may_change(app, client):
    from tests.clients.helpers import make_client
    from tests.conftest import log_in

    me, colleague = gen_user(app, "sales"), gen_user(app, "sales")
    mine = make_client(app, me, "我负责的客户有限公司")
    theirs = make_client(app, colleague, "同事的客户有限公司")
    log_in(client, me.username)
    page = client.get("/clients").get_data(as_text=True)
    assert f'id="client-{mine}"' in page and f'id="client-{theirs}"' not in page
    everyone = client.get("/clients?owner=").get_data(as_text=True)
    assert f'id="client-{theirs}"' in everyone
    assert f'name="client_id" value="{mine}"' in everyone
    assert f'name="client_id" value="{theirs}"' not in everyone


def test_the_list_sorts_by_who_most_needs_contact(app, client):
    manager = gen_user(app, "manager")
    recent = make_client(app, manager, "阿里联系过的客户")
    forgotten = make_client(app, manager, "张久未联系客户")
    with app.app_context():
        db.session.get(Client, recent).last_contact_at = utcnow()
        db.session.get(Client, forgotten).last_contact_at = utcnow() - timedelta(days=60)
        db.session.commit()
    log_in(client, manager.username)
    by_name = client.get("/clients").get_data(as_text=True)
    assert by_name.index(f'id="client-{recent}"') < by_name.index(f'id="client-{forgotten}"')
    by_due = client.get("/clients?sort=due").get_data(as_text=True)
    assert by_due.index(f'id="client-{forgotten}"') < by_due.index(f'id="client-{recent}"')
    assert 'aria-sort="ascending"' in by_due


def test_the_large_list_sorts_in_the_database_the_same_way(app, client, monkeypatch):
    from crmweb.clients import search

    monkeypatch.setattr(search, "SMALL_RESULT", 0)  # as on a large archive
    test_the_list_sorts_by_who_most_needs_contact(app, client)


def test_a_long_list_is_counted_only_some_way_past_the_page_shown(app, client, monkeypatch):
    from crmweb import pagination
    from crmweb.clients import search

    monkeypatch.setattr(pagination, "COUNT_AHEAD", 30)  # as 1,000 on a large archive
    monkeypatch.setattr(search, "SMALL_RESULT", 0)
    manager = gen_user(app, "manager")
    for n in range(45):
        make_client(app, manager, f"测试客户{n:02d}有限公司")
    log_in(client, manager.username)
    first = client.get("/clients").get_data(as_text=True)
    assert "超过 30 条，第 1 页" in first and "下一页" in first
    # Further on, the count reaches the end: exact again.
    second = client.get("/clients?page=2").get_data(as_text=True)
    assert "共 45 条，第 2 / 3 页" in second and "测试客户20有限公司" in second
    assert "共 45 条，第 3 / 3 页" in client.get("/clients?page=9").get_data(as_text=True)


def test_a_search_pages_its_matches_and_past_the_last_shows_the_last(app, client):
    manager = gen_user(app, "manager")
    for n in range(45):
        make_client(app, manager, f"翻页客户{n:02d}有限公司")
    make_client(app, manager, "别的公司")
    log_in(client, manager.username)
    second = client.get("/clients?q=翻页&page=2").get_data(as_text=True)
    assert "共 45 条，第 2 / 3 页" in second and "翻页客户20有限公司" in second
    assert "翻页客户19有限公司" not in second and "别的公司" not in second
    last = client.get("/clients?q=翻页&page=9").get_data(as_text=True)
    assert "共 45 条，第 3 / 3 页" in last and "翻页客户44有限公司" in last
    assert "共 0 条" in client.get("/clients?q=没有这家&page=3").get_data(as_text=True)
