"""The working calendar: the package's years, a year loaded from the notice, the commands."""
from datetime import date

from crmweb import workdays
from crmweb.timeutil import utcnow


def test_2026_and_2027_holidays_and_make_up_working_days(app):
    with app.app_context():
        assert workdays.is_working_day(date(2026, 2, 14))       # Saturday worked for the Spring Festival
        assert not workdays.is_working_day(date(2026, 2, 17))   # 春节
        assert not workdays.is_working_day(date(2026, 10, 1))   # 国庆节
        assert workdays.is_working_day(date(2026, 9, 20))       # Sunday worked for National Day
        assert not workdays.is_working_day(date(2026, 11, 21))  # an ordinary Saturday
        assert workdays.is_working_day(date(2026, 11, 23))      # an ordinary Monday
        assert workdays.holiday_name(date(2026, 10, 1)) == "国庆节"
        assert not workdays.is_working_day(date(2027, 1, 1))    # 元旦
        assert not workdays.is_working_day(date(2027, 2, 6))    # 春节 2027 (the 6th is New Year's Day)


def test_calendar_show_lists_the_special_days_and_says_a_year_is_unconfirmed(app, runner):
    result = runner.invoke(args=["calendar", "show", "2026"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "2026-10-01 holiday 国庆节" in lines and "2026-02-14 workday 调休上班" in lines
    assert "尚未按国务院通知确认" in result.stderr


def test_calendar_import_replaces_a_year_and_every_area_follows(app, runner, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text("# 国务院办公厅关于2027年部分节假日安排的通知\n"
                      "2027-01-01 holiday 元旦\n2027-02-06 holiday 春节\n2027-02-20 workday 春节调休\n"
                      "2027-03-01 holiday 公司周年庆\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(notice)])
    assert "已导入 2027 年的 4 天" in result.output
    with app.app_context():
        assert not workdays.is_working_day(date(2027, 3, 1))    # the company's own day off
        assert workdays.is_working_day(date(2027, 2, 20))       # a Saturday worked
        assert workdays.is_working_day(date(2027, 2, 8))        # not in the notice: an ordinary Monday
    shown = runner.invoke(args=["calendar", "show", "2027"])
    assert "2027-03-01 holiday 公司周年庆" in shown.stdout and "尚未" not in shown.stderr


def test_a_bad_notice_changes_nothing_and_says_which_lines(app, runner, tmp_path):
    notice = tmp_path / "bad.txt"
    notice.write_text("2027-01-01 holiday 元旦\n2027-02-30 holiday 错日\n2027-02-08 workday 周一\n",
                      encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(notice)])
    assert result.exit_code != 0 and "第 2 行" in result.output and "第 3 行" in result.output
    with app.app_context():
        assert workdays.calendar_year(2027).confirmed is False


def test_replacing_a_year_in_a_request_is_seen_at_once(app):
    with app.test_request_context():
        assert not workdays.is_working_day(date(2026, 11, 21))
        workdays.replace_years([workdays.SpecialDay(date(2026, 11, 21), "workday", "补班")], utcnow())
        assert workdays.is_working_day(date(2026, 11, 21))


def test_the_administrator_corrects_a_day_and_confirms_the_year(app, client, login_as):
    login_as("admin")
    page = client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert 'id="unconfirmed"' in page and 'id="day-2027-02-06"' in page  # the forecast, shown as such
    assert client.post("/admin/calendar?year=2027", data={"day": "2027-03-01", "kind": "holiday",
                                                           "name": "公司周年庆"}).status_code == 303
    assert client.post("/admin/calendar?year=2027", data={"day": "2027-02-06", "kind": ""}).status_code == 303
    with app.app_context():
        assert not workdays.is_working_day(date(2027, 3, 1))
        assert workdays.holiday_name(date(2027, 2, 6)) is None  # made ordinary (a Saturday: still off)
        assert workdays.holiday_name(date(2027, 2, 8)) is not None  # the rest of the forecast was kept
    assert client.post("/admin/calendar/2027/confirm").status_code == 303
    assert 'id="unconfirmed"' not in client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert client.post("/admin/calendar", data={"day": "不是日期"}).status_code == 422
    manager = app.test_client()
    login_as("manager", on=manager)
    assert manager.get("/admin/calendar").status_code == 403
