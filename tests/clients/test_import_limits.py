"""Files that are malformed, hostile or huge: a clear message and a 4xx, never a 500 or a server
out of memory; and vCards as real phones write them (charsets, folds inside a character)."""
import io
import zipfile

import pytest
import sqlalchemy as sa

from crmweb.clients import importing
from crmweb.clients.importing import UnreadableFile, parse_file
from crmweb.clients.models import ClientImport, Contact
from crmweb.extensions import db
from tests.conftest import gen_user, log_in


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_entry(data: bytes, name: str, content: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, content if info.filename == name else source.read(info))
    return target.getvalue()


def _upload(client, data: bytes, filename: str):
    return client.post("/clients/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.fixture
def importer(app, client):
    log_in(client, gen_user(app, "specialist").username)
    return client


def _refused(response, words: str):
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and words in page, page[-2000:]


# --- hostile and huge files ----------------------------------------------------------------------

def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(app, importer):
    bomb = _replace_entry(_workbook([["客户名称", "联系人"]]), "xl/worksheets/sheet1.xml",
                          b"<x>" + b" " * (importing.MAX_XLSX_UNPACKED_BYTES + 1) + b"</x>")
    assert len(bomb) < 2 * 1024 * 1024
    _refused(_upload(importer, bomb, "bomb.xlsx"), "解压后过大")


def test_an_xlsx_with_an_entity_declaration_is_refused(app, importer):
    sheet = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
    hostile = _replace_entry(_workbook([["客户名称"]]), "xl/worksheets/sheet1.xml", sheet)
    _refused(_upload(importer, hostile, "entities.xlsx"), "不含外部实体")


def test_a_file_over_the_size_limit_is_refused(app, importer):
    big = b"\xe5\xae\xa2\xe6\x88\xb7\xe5\x90\x8d\xe7\xa7\xb0\n" + b"a" * importing.MAX_FILE_BYTES
    _refused(_upload(importer, big, "big.csv"), "文件超过 20 MB")


def test_a_csv_with_too_many_rows_is_refused(app, importer, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 100)
    rows = "客户名称,联系人\n" + "".join(f"公司{i},联系人{i}\n" for i in range(101))
    _refused(_upload(importer, rows.encode(), "many.csv"), "文件超过 100 行")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ClientImport.id))) == 0


def test_a_csv_cell_over_the_field_limit_is_refused(app, importer):
    cell = '"' + "长" * 200_000 + '"'
    _refused(_upload(importer, f"客户名称,联系人\n{cell},张三\n".encode(), "long.csv"), "第 2 行无法读取")


def test_nul_characters_in_cells_and_file_names_are_dropped(app, importer):
    upload = "客户名称,联系人,手机\n华\x00通,张\x00三,13900001111\n".encode()
    response = _upload(importer, upload, "a\x00b.csv")
    assert response.status_code == 200
    import_id = response.get_data(as_text=True).split("/clients/import/")[1].split('"')[0]
    assert importer.post(f"/clients/import/{import_id}").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Contact.name)) == "张三"


def test_a_long_quoted_printable_value_decodes_in_one_pass():
    # Joined piece by piece this took a minute (quadratic); now it is a moment.
    body = "=\r\n".join(["=E5=8D=8E" * 25] * 40_000)
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:张三\r\n"
            f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{body}\r\nEND:VCARD\r\n")
    parsed = parse_file(card.encode(), "long.vcf")
    assert parsed.rows[0].contact["notes"] == "华" * 2000  # notes keep 2,000 characters


# --- vCards as phones write them ------------------------------------------------------------------

def test_declared_charsets_are_honoured_per_property():
    card = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:" + "安藤;ロイド".encode("shift_jis")
            + b"\r\nORG;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:=BB=AA=CD=A8\r\n"
            + b"TEL;CELL:13900001111\r\nEND:VCARD\r\n")
    row = parse_file(card, "phone.vcf").rows[0]
    assert (row.contact["name"], row.client_name) == ("安藤ロイド", "华通")


def test_a_fold_inside_a_multibyte_character_is_joined_before_decoding():
    name = "徐州华通机械有限公司".encode()
    card = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xe5\xbc\xa0\xe4\xb8\x89\r\nORG:" + name[:7] + b"\r\n "
            + name[7:] + b"\r\nEND:VCARD\r\n")
    assert parse_file(card, "folded.vcf").rows[0].client_name == "徐州华通机械有限公司"


def test_an_unreadable_vcf_gets_vcard_advice():
    with pytest.raises(UnreadableFile, match="BEGIN:VCARD"):
        parse_file(b"VERSION:3.0\r\nFN:\xff\xfe\r\n", "contacts.vcf")


def test_problems_name_the_line_where_the_card_starts():
    cards = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:张三\r\nTEL;CELL:p123w4\r\nEND:VCARD\r\n"
             "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE:folded\r\n  on\r\n  and on\r\nEND:VCARD\r\n"
             "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:李四\r\nTEL;CELL:w8\r\nEND:VCARD\r\n")
    parsed = parse_file(cards.encode(), "cards.vcf")
    assert [(problem.line, "缺少" in problem.message) for problem in parsed.problems] == [(6, True)]
    assert [warning.line for warning in parsed.warnings] == [1, 12]


# --- exports and redirects that cannot inject -----------------------------------------------------

def test_exported_vcards_escape_carriage_returns(app, client):
    from tests.clients.helpers import make_client

    manager = gen_user(app, "manager")
    make_client(app, manager, name="华通\rURL:http://evil.example", contacts=[{"name": "张三\rURL:x"}])
    log_in(client, manager.username)
    exported = client.get("/clients/export.vcf").data
    assert b"\rURL" not in exported and b"\nURL" not in exported
    assert b"\\nURL:http://evil.example" in exported


@pytest.mark.parametrize("path", ["/login?next=/clients%0d%0aSet-Cookie:x=1", "/login?next=/a%0Ab"])
def test_a_next_parameter_with_a_line_break_is_a_bad_request(app, client, path):
    user = gen_user(app, "specialist")
    response = client.post(path, data={"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 400


def test_a_back_parameter_with_a_line_break_is_a_bad_request(app, client):
    log_in(client, gen_user(app, "manager").username)
    response = client.post("/clients/bulk", data={"client_id": "1", "action": "add_tag", "add_tag": "x",
                                                  "back": "/clients\r\nSet-Cookie: a=b"})
    assert response.status_code == 400
