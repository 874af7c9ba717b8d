"""The "today" page: each person's overdue clients, their contacts' birthdays, their approvals."""
from datetime import timedelta

import sqlalchemy as sa
from lunar_python import Solar

from crmweb.auth.models import User
from crmweb.clients import access, services
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in


def local_today(app):
    with app.app_context():
        return utcnow().astimezone(local_zone()).date()


def make_overdue(app, client_id, days):
    """Last contacted long enough ago to be `days` past the rhythm."""
    with app.app_context():
        client = db.session.get(Client, client_id)
        client.last_contact_at = utcnow() - timedelta(days=30 + days)  # customers: monthly
        db.session.commit()


def test_my_overdue_clients_most_overdue_first_and_nobody_elses(app, client, login_as):
    me = login_as("specialist")
    other = gen_user(app, "specialist")
    late = make_client(app, me, name="南通江海船舶有限公司")
    later = make_client(app, me, name="扬州运河机电有限公司")
    in_time = make_client(app, me, name="镇江金山化工有限公司")
    someone_elses = make_client(app, other, name="泰州凤城药业有限公司")
    make_overdue(app, late, 3)
    make_overdue(app, later, 10)
    make_overdue(app, someone_elses, 10)
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('id="today-overdue"'):page.index('id="today-birthdays"')]
    assert card.index(f'id="overdue-{later}"') < card.index(f'id="overdue-{late}"')
    assert "超期 10 天" in card and "超期 3 天" in card
    assert f'id="overdue-{in_time}"' not in card and "泰州凤城药业有限公司" not in card
    assert "全部客户中超期未联系" not in card  # that line is for supervisors and above


def test_supervisors_also_see_how_many_clients_are_overdue_in_all(app, client, login_as):
    login_as("supervisor")
    make_overdue(app, make_client(app, gen_user(app, "sales"), name="泰州凤城药业有限公司"), 5)
    assert "全部客户中超期未联系 1 个" in client.get("/").get_data(as_text=True)


def test_overdue_clients_are_counted_per_owner_and_for_nobody(app, login_as):
    """The team card's and the overall count's source: each person's overdue clients, and those
    of no one; people with none are left out."""
    from crmweb.clients.today import overdue_by_owner
    sales, other = gen_user(app, "sales"), gen_user(app, "sales")
    gen_user(app, "specialist")  # owns nothing
    for n in range(3):
        make_overdue(app, make_client(app, sales, name=f"超期客户{n}号有限公司"), n + 1)
    make_overdue(app, make_client(app, other, name="另一位的超期客户有限公司"), 2)
    make_client(app, other, name="刚联系过的客户有限公司")
    unowned = make_client(app, sales, name="无人负责的客户有限公司")
    make_overdue(app, unowned, 4)
    with app.app_context():
        db.session.get(Client, unowned).owner_id = None
        db.session.commit()
        assert overdue_by_owner(utcnow()) == {sales.id: 3, other.id: 1, None: 1}


def test_birthdays_of_my_contacts_this_week_solar_and_lunar(app, client, login_as):
    me = login_as("sales")
    today = local_today(app)
    in_two_days, in_five_days, next_month = (today + timedelta(days=n) for n in (2, 5, 30))
    lunar = Solar.fromYmd(in_five_days.year, in_five_days.month, in_five_days.day).getLunar()
    make_client(app, me, name="南通江海船舶有限公司", contacts=[
        {"name": "周敏", "birthday_calendar": "solar", "birth_month": in_two_days.month,
         "birth_day": in_two_days.day},
        {"name": "吴芳", "birthday_calendar": "lunar", "birth_month": abs(lunar.getMonth()),
         "birth_day": lunar.getDay(), "birthday_leap_month": lunar.getMonth() < 0},
        {"name": "郑爽", "birthday_calendar": "solar", "birth_month": next_month.month,
         "birth_day": next_month.day}])
    make_client(app, gen_user(app, "sales"), name="泰州凤城药业有限公司", contacts=[
        {"name": "王建国", "birthday_calendar": "solar", "birth_month": today.month, "birth_day": today.day}])
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('id="today-birthdays"'):]
    assert card.index("周敏") < card.index("吴芳")
    assert in_two_days.strftime("%m-%d") in card and in_five_days.strftime("%m-%d") in card
    assert "农历" in card
    assert "郑爽" not in card and "王建国" not in card


def test_a_busy_week_of_birthdays_shows_the_soonest_and_links_to_all(app, client, login_as):
    me = login_as("specialist")
    today = local_today(app)
    contacts = [{"name": f"联系人{n:02d}", "birthday_calendar": "solar",
                 "birth_month": (today + timedelta(days=n % 7)).month,
                 "birth_day": (today + timedelta(days=n % 7)).day} for n in range(12)]
    make_client(app, me, name="南通江海船舶有限公司", contacts=contacts)
    make_client(app, gen_user(app, "specialist"), name="泰州凤城药业有限公司", contacts=[
        {"name": "王建国", "birthday_calendar": "solar", "birth_month": today.month, "birth_day": today.day}])
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('id="today-birthdays"'):]
    card = card[:card.index("</section>")]
    assert card.count('id="birthday-') == 8
    # The soonest first: today's two (00 and 07) before tomorrow's.
    assert card.index("联系人00") < card.index("联系人07") < card.index("联系人01")
    assert "查看全部 12 位" in card and 'href="/clients/birthdays"' in card
    whole = client.get("/clients/birthdays").get_data(as_text=True)
    assert whole.count('id="birthday-') == 12 and "共 12 位" in whole
    assert "王建国" not in whole and "今天" in whole and "南通江海船舶有限公司" in whole


def test_approvals_wait_for_managers_only(app, client, login_as):
    specialist = gen_user(app, "specialist")
    client_id = make_client(app, specialist)
    with app.app_context():
        actor, archive = db.session.get(User, specialist.id), db.session.get(Client, client_id)
        services.apply_for_vip(actor, archive, "年采购额超过 50 万", utcnow())
        sales = db.session.get(User, gen_user(app, "sales").id)
        access.request_archive_access(sales, archive, "准备续约方案", utcnow())
        db.session.commit()
    login_as("manager")
    page = client.get("/").get_data(as_text=True)
    assert "VIP 申请 1 个" in page and "档案查阅申请 1 个" in page
    other_browser = app.test_client()
    login_as("specialist", on=other_browser)
    assert 'id="today-approvals"' not in other_browser.get("/").get_data(as_text=True)


def test_reception_sees_no_client_cards(app, client, login_as):
    login_as("reception")
    page = client.get("/").get_data(as_text=True)
    assert "今日工作台" in page
    assert 'id="today-overdue"' not in page and 'id="today-birthdays"' not in page


def statements_for(app, client, url) -> list[str]:
    statements = []
    with app.app_context():
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        assert client.get(url).status_code == 200
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    return statements


def add_overdue_with_birthdays(app, me, numbers):
    for n in numbers:
        make_overdue(app, make_client(app, me, name=f"测试客户{n}号有限公司", contacts=[
            {"name": f"联系人{n}", "birthday_calendar": "solar", "birth_month": local_today(app).month,
             "birth_day": local_today(app).day}]), n + 1)


def test_the_today_page_reads_a_bounded_number_of_statements(app, client, login_as):
    """As many statements for 2 clients as for 12; each area's cards a few, per role."""
    me = login_as("manager")
    add_overdue_with_birthdays(app, me, range(2))
    few = statements_for(app, client, "/")
    add_overdue_with_birthdays(app, me, range(2, 12))
    assert len(statements_for(app, client, "/")) == len(few) < 30, few
    for role in ("manager", "supervisor", "specialist", "sales", "service", "reception"):
        someone = app.test_client()
        login_as(role, on=someone)
        for area in ("clients", "callbacks", "plans", "cases", "bookings", "gifts"):
            assert len(statements_for(app, someone, f"/today/{area}")) < 15, (role, area)


def test_clients_never_contacted_show_on_the_today_page_before_they_are_late(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, name="从未联系过的新客户有限公司")
    log_in(client, owner.username)
    page = client.get("/").get_data(as_text=True)
    assert f'id="new-client-{client_id}"' in page and "尚未联系" in page


def test_clients_without_an_owner_are_shown_to_who_assigns_them(app, client, runner, tmp_path):
    path = tmp_path / "orphans.csv"
    path.write_text("客户名称,联系人,手机\n无主客户甲有限公司,张三,13900005001\n", encoding="utf-8")
    assert runner.invoke(args=["clients", "import", str(path)]).exit_code == 0  # no --owner
    log_in(client, gen_user(app, "supervisor").username)
    page = client.get("/").get_data(as_text=True)
    assert "没有负责人的客户 1 个" in page
    assert "无主客户甲有限公司" in client.get("/clients?owner=none").get_data(as_text=True)


def test_someone_who_owns_no_client_is_not_read_the_whole_archive_s_birthdays(app, client, login_as):
    """Another person's clients have birthdays this week; a manager who owns none gets an empty
    card without the query that reads every contact born this week."""
    add_overdue_with_birthdays(app, gen_user(app, "specialist"), range(3))
    login_as("manager")
    statements = statements_for(app, client, "/today/clients")
    assert not [statement for statement in statements if "FROM contacts" in statement], statements
    card = client.get("/").get_data(as_text=True)
    card = card[card.index('id="today-birthdays"'):]
    assert "联系人0" not in card
