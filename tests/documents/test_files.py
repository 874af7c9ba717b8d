"""Files on a case and on a client: uploaded by who may change them, served only through the app
to who may read them (confidential ones only to who reads the client's confidential parts), every
upload and download audited, nothing half-written when a file is refused."""

import io
import os
from datetime import UTC, datetime

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent, User
from crmweb.clients.duplicates import merge_clients
from crmweb.clients.models import Client
from crmweb.documents.models import Document
from crmweb.extensions import db
from tests.cases.helpers import open_case
from tests.clients.helpers import make_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, where, name, content, **extra):
    return client.post(
        f"/documents/{where}",
        data={"file": (io.BytesIO(content), name), "next": "/", **extra},
        content_type="multipart/form-data",
    )


def stored_files(app) -> list[str]:
    return [name for _root, _dirs, names in os.walk(app.config["DOCUMENTS_DIR"]) for name in names]


def test_a_file_on_a_case_for_who_reads_cases(app, client, login_as):
    owner = login_as("specialist")
    case_id = open_case(app, owner, make_client(app, owner, "华通机械有限公司"), datetime.now(UTC))
    assert upload(client, f"case/{case_id}", "../../故障照片.png", PNG).status_code == 303
    with app.app_context():
        document = db.session.scalars(sa.select(Document)).one()
        assert (document.name, document.content_type, document.size) == (
            "故障照片.png",
            "image/png",
            len(PNG),
        )
    assert stored_files(app) == [document.storage_key]  # under a random key, not the name given
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'id="document-{document.id}"' in page
    got = client.get(f"/documents/{document.id}")
    assert got.data == PNG and got.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/documents/{document.id}?view=1").headers["Content-Disposition"].startswith("inline")
    agent = app.test_client()
    login_as("service", on=agent)
    assert agent.get(f"/documents/{document.id}").status_code == 200
    assert upload(agent, f"case/{case_id}", "x.png", PNG).status_code == 403  # not their case
    for role in ("sales", "reception", "admin"):
        outsider = app.test_client()
        login_as(role, on=outsider)
        assert outsider.get(f"/documents/{document.id}").status_code in (403, 404)


def test_a_refused_file_leaves_nothing_behind(app, client, login_as):
    owner = login_as("specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    mismatch = upload(client, f"client/{client_id}", "发票.pdf", PNG)
    assert mismatch.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "文件内容与扩展名不符" in page
    app.config["DOCUMENTS_MAX_BYTES"] = 10
    upload(client, f"client/{client_id}", "合同.pdf", PDF)
    assert "文件太大" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert stored_files(app) == []
    assert upload(client, "client/999999", "合同.pdf", PDF).status_code == 404
    assert upload(client, f"nothing/{client_id}", "合同.pdf", PDF).status_code == 404


def test_a_confidential_file_on_a_client_reaches_only_its_confidential_readers(app, client, login_as):
    owner = login_as("sales")
    client_id = make_client(app, owner, "华通机械有限公司")
    assert upload(client, f"client/{client_id}", "财务报表.pdf", PDF, confidential="y").status_code == 303
    with app.app_context():
        document = db.session.scalars(sa.select(Document)).one()
        assert document.confidential
    assert client.get(f"/documents/{document.id}").data == PDF
    allowed, refused = (
        ("director", "manager"),
        ("supervisor", "specialist", "sales", "service", "reception", "admin"),
    )
    for role in allowed + refused:
        other = app.test_client()
        login_as(role, on=other)
        answer = other.get(f"/documents/{document.id}")
        assert (answer.status_code == 200) == (role in allowed), role
        if role == "specialist":  # sees the client's archive, not this file in its list
            assert "财务报表" not in other.get(f"/clients/{client_id}").get_data(as_text=True)
    with app.app_context():
        downloads = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "documents.downloaded")
        )
    assert downloads == 3  # the owner and the two allowed
    other_sales = app.test_client()
    login_as("sales", on=other_sales)
    assert upload(other_sales, f"client/{client_id}", "x.pdf", PDF).status_code == 403
    assert client.post(f"/documents/{document.id}/delete", data={"next": "/"}).status_code == 303
    assert stored_files(app) == []


def test_merging_two_archives_brings_the_files_along(app, client, login_as):
    manager = login_as("manager")
    keep = make_client(app, manager, "华通机械有限公司")
    gone = make_client(app, manager, "华通机械公司", duplicate=True)
    assert upload(client, f"client/{gone}", "合同扫描.pdf", PDF).status_code == 303
    with app.app_context():
        merge_clients(
            db.session.get(User, manager.id),
            db.session.get(Client, keep),
            db.session.get(Client, gone),
            datetime.now(UTC),
        )
        document_id = db.session.scalar(sa.select(Document.id))
    page = client.get(f"/clients/{keep}").get_data(as_text=True)
    assert f'id="document-{document_id}"' in page
    assert client.get(f"/documents/{document_id}").data == PDF
