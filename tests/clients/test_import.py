"""Imports of real files of every format: phones' vCards, Google/Outlook CSV, GB18030 CSV, XLSX."""
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from crmweb.clients.importing import RowError, map_headers, parse_amount, parse_birthday, parse_file
from crmweb.clients.models import Client, ClientConfidential, Contact
from crmweb.extensions import db
from tests.conftest import gen_user, planned_rows

DATA = Path(__file__).parent.parent / "data"


def run_import(runner, name, *args):
    return runner.invoke(args=["clients", "import", str(DATA / name), *args])


def contact_named(app, name):
    with app.app_context():
        contact = db.session.scalar(sa.select(Contact).where(Contact.name == name))
        client = db.session.get(Client, contact.client_id)
        db.session.expunge_all()
        return contact, client


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- pure parts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, expected", [
    (["客户名称", "联系人", "手机", "生日", "地址", "职位"],
     ["client", "contact", "mobile", "birthday", "address", "position"]),
    (["公司", "姓名", "电话", "Email"], ["client", "contact", "mobile", "email"]),
    (["ORG", "Name", "Mobile Phone", "E-mail Address"], ["client", "contact", "mobile", "email"]),
    (["往来银行", "贷款状况", "付款态度", "月均购买额", "最高购买金额"],
     ["banks", "loan_status", "payment_attitude", "monthly_average_purchase", "largest_purchase"]),
    (["手机", "电话", "不认识的列"], ["mobile", "phone", None]),
])
def test_headers_in_chinese_or_english_are_mapped(headers, expected):
    assert map_headers(headers) == expected


@pytest.mark.parametrize("text, expected", [
    ("1980-05-06", ("solar", 1980, 5, 6, False)), ("1980/5/6", ("solar", 1980, 5, 6, False)),
    ("19800506", ("solar", 1980, 5, 6, False)), ("--0815", ("solar", None, 8, 15, False)),
    ("5月6日", ("solar", None, 5, 6, False)), ("农历八月十五", ("lunar", None, 8, 15, False)),
    ("农历闰四月初八", ("lunar", None, 4, 8, True)), ("农历腊月廿三", ("lunar", None, 12, 23, False)),
])
def test_birthdays_as_people_write_them(text, expected):
    parsed = parse_birthday(text)
    assert (parsed["birthday_calendar"], parsed["birth_year"], parsed["birth_month"],
            parsed["birth_day"], parsed["birthday_leap_month"]) == expected


@pytest.mark.parametrize("text", ["2/30", "1980-13-01", "明天", "农历十三月一"])
def test_impossible_birthdays_are_row_errors(text):
    with pytest.raises(RowError):
        parse_birthday(text)


@pytest.mark.parametrize("text, expected", [("12,345.00", "12345.00"), ("¥8600", "8600.00"),
                                            ("1.2万", "12000.00"), (58000.0, "58000.00")])
def test_amounts(text, expected):
    assert parse_amount(text) == Decimal(expected)


def test_the_gb18030_file_really_is_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        (DATA / "clients_gb18030.csv").read_bytes().decode("utf-8")


def test_quoted_printable_soft_breaks_inside_a_character_are_joined():
    parsed = parse_file((DATA / "android_v21_qp.vcf").read_bytes(), "contacts.vcf")
    shan = next(row for row in parsed.rows if row.contact["name"] == "单丽华")
    assert shan.contact["notes"] == "老客户，喜欢电话联系"


# --- the command and the database ----------------------------------------------------------------

def test_android_vcard_21_with_quoted_printable(app, runner):
    owner = gen_user(app, "specialist", username="li.zhuanyuan")
    result = run_import(runner, "android_v21_qp.vcf", "--owner", "li.zhuanyuan")
    assert result.exit_code == 0, result.output
    assert "新建 3 / 更新 0 / 跳过 0 / 错误 0" in result.output
    zeng, company = contact_named(app, "曾小明")
    assert (company.name, company.kind, company.owner_id) == ("徐州华通机械有限公司", "company", owner.id)
    assert (zeng.mobile, zeng.phone, zeng.email, zeng.position) == (
        "+8613812345678", "+8651683881234", "zeng@huatong.cn", "采购部经理")
    birthday = (zeng.birthday_calendar, zeng.birth_year, zeng.birth_month, zeng.birth_day)
    assert birthday == ("solar", 1980, 5, 6)
    shan, person = contact_named(app, "单丽华")
    assert (person.name, person.kind) == ("单丽华", "person")
    zhang, _ = contact_named(app, "张三")  # 12345, the government hotline: kept as the service number
    assert (zhang.mobile, zhang.phone) == (None, "12345")


def test_iphone_vcard_30_and_android_vcard_40(app, runner):
    assert run_import(runner, "iphone_v30.vcf").exit_code == 0
    li, company = contact_named(app, "李红梅")
    assert company.name == "南京金陵电子科技股份有限公司" and li.unit == "销售部"
    assert (li.mobile, li.phone) == ("+8613900002222", "+8613812345678")
    assert li.address == "中国江苏省南京市将军大道 66 号" and li.notes == "喜欢喝茶, 不抽烟"
    john, person = contact_named(app, "John Smith")
    assert john.mobile == "+16502530000" and person.kind == "person"
    assert run_import(runner, "android_v40.vcf").exit_code == 0
    qiu, _ = contact_named(app, "仇建平")
    assert (qiu.mobile, qiu.birth_month, qiu.birth_day, qiu.birth_year) == ("+8613900003333", 8, 15, None)


def test_google_and_outlook_csv(app, runner):
    assert "新建 2 / 更新 0 / 跳过 0 / 错误 0" in run_import(runner, "google_contacts.csv").output
    wang, company = contact_named(app, "王建国")
    assert company.name == "苏州恒润纺织有限公司" and wang.position == "总经理"
    chen, person = contact_named(app, "陈红")
    assert person.kind == "person" and chen.mobile == "+8613900005555"
    assert "新建 1 / 更新 0" in run_import(runner, "outlook_contacts.csv").output
    zhang, company = contact_named(app, "张伟")
    assert (zhang.mobile, zhang.phone, company.name) == ("+8613900006666", "+8651986881234",
                                                         "常州东方医疗器械有限公司")
    assert (zhang.birth_month, zhang.birth_day) == (7, 9)


def test_gb18030_csv_with_confidential_columns_and_bad_rows(app, runner):
    result = run_import(runner, "clients_gb18030.csv")
    assert "新建 4 / 更新 0 / 跳过 0 / 错误 2" in result.output
    for line, reason in [(6, "无法识别的客户等级"), (8, "金额无法识别")]:
        assert f"第 {line} 行：{reason}" in result.output
    # The person is kept; the odd field is kept as written (or in the notes) and flagged.
    assert "第 4 行（提醒）：电话号码无法规范化，已按原样保存，请核对：1390000" in result.output
    assert "第 5 行（提醒）：生日日期无效：2/30，已记入备注。" in result.output
    sun, _ = contact_named(app, "孙强")
    assert (sun.mobile, sun.phone) == (None, "1390000")
    zhou, _ = contact_named(app, "周涛")
    assert zhou.birth_month is None and "生日：2/30" in zhou.notes
    zhao, company = contact_named(app, "赵磊")
    qian, same_company = contact_named(app, "钱芳")
    assert company.id == same_company.id and company.tier == "key"
    assert (zhao.birthday_calendar, zhao.birth_month, zhao.birth_day) == ("lunar", 8, 15)
    with app.app_context():
        archive = db.session.get(ClientConfidential, company.id)
        assert (archive.banks, archive.monthly_average_purchase, archive.largest_purchase) == (
            "中国工商银行济南分行", Decimal("12000.00"), Decimal("58000.00"))
    assert count(app, Client) == 3


def test_importing_again_updates_and_never_duplicates(app, runner):
    run_import(runner, "clients_gb18030.csv")
    contacts, clients = count(app, Contact), count(app, Client)
    result = run_import(runner, "clients_utf8_bom.csv")
    assert "新建 0 / 更新 0 / 跳过 2 / 错误 0" in result.output
    assert (count(app, Contact), count(app, Client)) == (contacts, clients)


def test_a_person_twice_in_one_file_is_one_contact_updated(app, runner, tmp_path):
    twice = tmp_path / "twice.csv"
    twice.write_text("客户名称,联系人,手机,职位\n"
                     "南通江海船舶有限公司,周敏,139 0000 8888,\n"
                     "南通江海船舶有限公司,周敏,+86 139-0000-8888,采购经理\n"
                     "南通江海船舶有限公司,周敏,13900008888,采购经理\n", encoding="utf-8")
    assert "新建 1 / 更新 1 / 跳过 1 / 错误 0" in run_import(runner, str(twice)).output
    zhou, company = contact_named(app, "周敏")
    assert (zhou.mobile, zhou.position) == ("+8613900008888", "采购经理")
    assert company.name == "南通江海船舶有限公司"
    assert (count(app, Client), count(app, Contact)) == (1, 1)


def test_new_contacts_join_a_company_already_in_the_archive(app, runner, tmp_path):
    run_import(runner, "clients_gb18030.csv")
    _, company = contact_named(app, "赵磊")
    more = tmp_path / "more.csv"
    more.write_text("客户名称,联系人,手机,往来银行\n"
                    "济南齐鲁重工集团有限公司,孙立强,13900007000,招商银行济南分行\n"
                    "潍坊新华印刷有限公司,李娜,13900007001,\n", encoding="utf-8")
    assert "新建 2 / 更新 0 / 跳过 0 / 错误 0" in run_import(runner, str(more)).output
    sun, same_company = contact_named(app, "孙立强")
    assert same_company.id == company.id
    li, new_company = contact_named(app, "李娜")
    assert new_company.id > company.id
    with app.app_context():
        assert db.session.get(ClientConfidential, company.id).banks == "招商银行济南分行"
        assert db.session.get(ClientConfidential, new_company.id) is None


def test_imported_clients_have_their_sort_key_and_contact_due_date(app, runner):
    from crmweb.clients import rules
    from crmweb.clients.settings import rhythm_days

    run_import(runner, "android_v21_qp.vcf")
    shan, person = contact_named(app, "单丽华")
    assert person.sort_key == rules.sort_key("单丽华", "person") and person.sort_key.startswith("shan li hua")
    with app.app_context():
        days = rhythm_days()[("prospect", "general")]
    assert person.contact_due_at == person.created_at + timedelta(days=days)


def test_another_owners_company_gets_no_contacts_from_my_import(app, client):
    from tests.clients.helpers import make_client
    from tests.conftest import log_in

    make_client(app, gen_user(app, "specialist"), name="连云港港通物流有限公司")
    log_in(client, gen_user(app, "specialist").username)
    upload = "客户名称,联系人,手机\n连云港港通物流有限公司,陆明,13900007002\n".encode()
    page = client.post("/clients/import", data={"file": (io.BytesIO(upload), "mine.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "第 2 行：客户 连云港港通物流有限公司 属于其他负责人，您无权添加联系人。" in page
    import_id = page.split("/clients/import/")[1].split('"')[0]
    assert client.post(f"/clients/import/{import_id}").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Contact).where(Contact.name == "陆明")) is None


def test_xlsx(app, runner):
    result = run_import(runner, "clients.xlsx")
    assert "新建 2 / 更新 0 / 跳过 0 / 错误 0" in result.output
    assert "第 3 行（提醒）：邮箱格式不正确" in result.output
    huang, company = contact_named(app, "黄敏")
    assert huang.mobile == "+8613900002468" and company.staff_count == 320


def test_dry_run_writes_nothing(app, runner):
    result = run_import(runner, "clients_gb18030.csv", "--dry-run")
    assert "试运行" in result.output and "新建 4" in result.output
    assert count(app, Client) == 0 and count(app, Contact) == 0


def test_unreadable_files_are_refused_with_a_reason(app, runner, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "文件是空的" in runner.invoke(args=["clients", "import", str(empty)]).output
    wrong = tmp_path / "notes.csv"
    wrong.write_text("甲,乙\n1,2\n", encoding="utf-8")
    assert "找不到“客户名称”或“联系人/姓名”列" in runner.invoke(args=["clients", "import", str(wrong)]).output
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "不支持的文件类型" in runner.invoke(args=["clients", "import", str(pdf)]).output
    assert runner.invoke(args=["clients", "import", str(empty), "--owner", "nobody"]).exit_code != 0


def test_imported_clients_are_searchable(app, runner, client):
    from tests.conftest import log_in
    run_import(runner, "android_v21_qp.vcf")
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    page = client.get("/clients?q=zxm").get_data(as_text=True)
    assert "徐州华通机械有限公司" in page


def test_web_import_previews_then_writes_on_confirmation(app, client):
    from tests.conftest import log_in
    specialist = gen_user(app, "specialist")
    log_in(client, specialist.username)
    with (DATA / "clients_gb18030.csv").open("rb") as upload:
        response = client.post("/clients/import", data={"file": (upload, "客户.csv"),
                                                         "owner_id": str(specialist.id)},
                               content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "将新建 4，更新 0，跳过 0（无变化），错误 2，需核对 2" in page
    assert "第 4 行：电话号码无法规范化" in page and "往来银行" in page
    assert "中国工商银行济南分行" not in page  # the preview names confidential columns, never values
    assert count(app, Client) == 0
    assert 'class="refused" id="line-6"' in page and "无法识别的客户等级" in page.split('id="line-6"')[1]
    assert 'id="line-4" class="warned"' in page
    import_id = page.split('/clients/import/')[1].split('"')[0]
    response = client.post(f"/clients/import/{import_id}")
    assert response.status_code == 302 and response.location == f"/clients?import={import_id}"
    assert count(app, Client) == 3 and count(app, Contact) == 4
    just_these = client.get(response.location).get_data(as_text=True)
    assert "刚才导入的 3 个客户" in just_these and just_these.count('<tr id="client-') == 3
    other = app.test_client()
    log_in(other, gen_user(app, "specialist").username)
    assert "刚才导入" not in other.get(response.location).get_data(as_text=True)  # mine alone
    with app.app_context():
        assert set(db.session.scalars(sa.select(Client.owner_id))) == {specialist.id}
    assert client.post(f"/clients/import/{import_id}").status_code == 404  # used up


def test_web_import_of_a_bad_file_is_a_422_with_the_reason(app, client):
    from io import BytesIO

    from tests.conftest import log_in
    log_in(client, gen_user(app, "supervisor").username)
    response = client.post("/clients/import", data={"file": (BytesIO(b"%PDF-1.4"), "scan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "不支持的文件类型" in response.get_data(as_text=True)
    response = client.post("/clients/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "请选择要导入的文件" in response.get_data(as_text=True)


def test_someone_elses_pending_import_cannot_be_confirmed(app, client):
    from tests.conftest import log_in
    first = app.test_client()
    log_in(first, gen_user(app, "specialist").username)
    with (DATA / "google_contacts.csv").open("rb") as upload:
        page = first.post("/clients/import", data={"file": (upload, "g.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    import_id = page.split('/clients/import/')[1].split('"')[0]
    log_in(client, gen_user(app, "specialist").username)
    assert client.post(f"/clients/import/{import_id}").status_code == 404
    assert count(app, Client) == 0


# --- export -------------------------------------------------------------------------------------

def test_export_is_for_managers_and_is_audited(app, client):
    from openpyxl import load_workbook

    from crmweb.auth.models import AuditEvent
    from tests.clients.helpers import SECRET, make_client
    from tests.conftest import log_in

    owner = gen_user(app, "specialist")
    make_client(app, owner, "=HYPERLINK(\"http://evil\")公司", secret=True,
                contacts=[{"name": "@曾小明", "mobile": "+8613812345678"}])
    log_in(client, owner.username)
    assert client.get("/clients/export.xlsx").status_code == 403
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    response = manager.get("/clients/export.xlsx")
    assert response.status_code == 200
    from io import BytesIO
    sheet = load_workbook(BytesIO(response.data)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert row[header.index("客户名称")] == "'=HYPERLINK(\"http://evil\")公司"
    assert row[header.index("联系人")] == "'@曾小明"
    assert row[header.index("往来银行")] == SECRET and row[header.index("手机")] == "138 1234 5678"
    csv_text = manager.get("/clients/export.csv?q=曾").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and SECRET in csv_text
    vcard = manager.get("/clients/export.vcf").data.decode()
    assert "TEL;TYPE=CELL:+8613812345678" in vcard
    assert manager.get("/clients/export.pdf").status_code == 404
    with app.app_context():
        exports = db.session.scalars(sa.select(AuditEvent.target_id).where(
            AuditEvent.action == "archive.exported").order_by(AuditEvent.id)).all()
    assert exports == ["xlsx", "csv", "vcf"]


def test_exported_vcard_imports_back_without_duplicates(app, client, runner, tmp_path):
    from tests.conftest import log_in
    run_import(runner, "android_v21_qp.vcf")
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    exported = tmp_path / "back.vcf"
    exported.write_bytes(manager.get("/clients/export.vcf").data)
    before = count(app, Contact)
    result = runner.invoke(args=["clients", "import", str(exported)])
    assert "新建 0" in result.output and count(app, Contact) == before


def test_unconfirmed_uploads_are_dropped_after_a_day(app, client):
    from datetime import timedelta

    from crmweb.clients.models import ClientImport
    from crmweb.timeutil import utcnow
    from tests.conftest import log_in
    user = gen_user(app, "specialist")
    with app.app_context():
        db.session.add(ClientImport(user_id=user.id, filename="old.csv", content=b"x",
                                    created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    log_in(client, user.username)
    with (DATA / "google_contacts.csv").open("rb") as upload:
        client.post("/clients/import", data={"file": (upload, "g.csv")}, content_type="multipart/form-data")
    with app.app_context():
        assert db.session.scalars(sa.select(ClientImport.filename)).all() == ["g.csv"]


def import_in_a_process(database_url: str, csv_text: str, results):
    """One process running `flask clients import` on its own file."""
    import tempfile

    from crmweb import create_app
    from tests.conftest import app_config

    path = Path(tempfile.mkdtemp()) / "contacts.csv"
    path.write_text(csv_text, encoding="utf-8")
    result = create_app(app_config(database_url)).test_cli_runner().invoke(
        args=["clients", "import", str(path)])
    results.put((result.exit_code, result.output))


def test_two_imports_at_once_each_get_their_own_client_ids(app, database_url):
    """New clients take their ids before they are written: two imports at once must not collide."""
    import multiprocessing

    files = ["客户名称,联系人,手机\n" + "".join(
        f"{prefix}测试{n:03d}有限公司,联系人{prefix}{n},139{offset + n:08d}\n" for n in range(300))
        for prefix, offset in (("甲", 10_000), ("乙", 20_000))]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=import_in_a_process, args=(database_url, text, results))
               for text in files]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    for code, output in outcomes:
        assert code == 0 and "新建 300 / 更新 0 / 跳过 0 / 错误 0" in output, output
    assert (count(app, Client), count(app, Contact)) == (600, 600)
    with app.app_context():
        mismatched = db.session.scalar(sa.select(sa.func.count()).select_from(Contact).join(Client).where(
            sa.func.substr(Client.name, 1, 1) != sa.func.substr(Contact.name, 4, 1)))
    assert mismatched == 0  # every contact sits under its own file's company


def test_the_same_file_imported_twice_at_once_creates_each_person_once(app, database_url):
    """The same mobile updates, never duplicates, when two imports of one file overlap."""
    import multiprocessing

    text = "客户名称,联系人,手机\n" + "".join(
        f"丙测试{n % 50:03d}有限公司,联系人{n},139{30_000 + n:08d}\n" for n in range(400))
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=import_in_a_process, args=(database_url, text, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert (count(app, Client), count(app, Contact)) == (50, 400)
    # One of them created everybody; the other found them all and had nothing to change.
    assert sorted("新建 400" in output for _, output in outcomes) == [False, True]


def test_exports_hold_every_contact_under_a_dated_chinese_name(app, client):
    from openpyxl import load_workbook

    from tests.clients.helpers import make_client
    from tests.conftest import log_in

    manager = gen_user(app, "manager")
    make_client(app, manager, "徐州华通机械有限公司", contacts=[
        {"name": "曾小明", "mobile": "+8613812345678"}, {"name": "钱芳", "phone": "95338"}])
    make_client(app, manager, "没有联系人的客户")
    log_in(client, manager.username)
    response = client.get("/clients/export.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''%E5%AE%A2%E6%88%B7%E6%A1%A3%E6%A1%88-20" in disposition  # 客户档案-20…
    assert 'filename="clients-20' in disposition
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= 20
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    names = sorted((row[0], row[8] or "") for row in rows)
    assert names == [("徐州华通机械有限公司", "曾小明"), ("徐州华通机械有限公司", "钱芳"),
                     ("没有联系人的客户", "")]
    csv_text = client.get("/clients/export.csv").data.decode("utf-8-sig")
    assert csv_text.count("徐州华通机械有限公司") == 2 and "95338" in csv_text


def test_an_exported_row_holds_every_column_the_archive_shows(app, client):
    """Read as plain rows, not objects: the owner's name, the words for kind, stage, tier and VIP,
    the key person first, a lunar birthday and the confidential amounts as numbers."""
    from openpyxl import load_workbook

    from tests.clients.helpers import SECRET, SECRET_AMOUNT, make_client
    from tests.conftest import log_in

    owner = gen_user(app, "specialist", display_name="负责人甲")
    key_person = {"name": "曾小明", "mobile": "+8613812345678", "is_key_person": True, "position": "总经理",
                  "birthday_calendar": "lunar", "birth_month": 8, "birth_day": 15, "birth_year": 1970}
    make_client(app, owner, "徐州华通机械有限公司", secret=True, tier="key", address="徐州市云龙区",
                contacts=[{"name": "钱芳", "phone": "95338"}, key_person])
    log_in(client, gen_user(app, "manager").username)
    sheet = load_workbook(io.BytesIO(client.get("/clients/export.xlsx").data)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first = dict(zip(header, rows[0], strict=True))
    assert [row[header.index("联系人")] for row in rows] == ["曾小明", "钱芳"]
    assert {key: first[key] for key in ("客户名称", "类型", "阶段", "等级", "VIP", "负责人", "地址", "职位",
                                        "手机", "生日", "往来银行", "决策人")} == {
        "客户名称": "徐州华通机械有限公司", "类型": "企业", "阶段": "成交客户", "等级": "大客户",
        "VIP": "符合 VIP 条件",
        "负责人": "负责人甲", "地址": "徐州市云龙区", "职位": "总经理", "手机": "138 1234 5678",
        "生日": "农历1970-8-15", "往来银行": SECRET, "决策人": SECRET}
    assert first["最高购买金额（元）"] == float(SECRET_AMOUNT)
    assert dict(zip(header, rows[1], strict=True))["电话"] == "95338"


def test_a_bulk_import_brings_the_planners_statistics_up_to_date(app, runner, tmp_path):
    """The planners would otherwise plan the next queries for the old table sizes (cold pages on
    PostgreSQL; on SQLite for ever)."""
    from crmweb.clients.importer import BULK_LOAD

    rows = "\n".join(f"批量客户{n:05d}有限公司,联系人{n},139{n:08d}" for n in range(BULK_LOAD))
    (tmp_path / "bulk.csv").write_text("客户名称,联系人,手机\n" + rows + "\n", encoding="utf-8")
    result = runner.invoke(args=["clients", "import", str(tmp_path / "bulk.csv")])
    assert result.exit_code == 0, result.output
    assert count(app, Client) == BULK_LOAD
    with app.app_context():
        assert BULK_LOAD / 2 < planned_rows("clients") < BULK_LOAD * 2  # SQLite samples: roughly
        assert planned_rows("client_search_keys") > BULK_LOAD
