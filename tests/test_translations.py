"""Chinese first, English complete: every string in the code has its English translation."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from crmweb.config import PROJECT_ROOT
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in


def test_every_user_facing_string_is_translated_to_english(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-o", str(template), "crmweb", "templates"],
                   cwd=PROJECT_ROOT, check=True, capture_output=True)
    with template.open("rb") as f:
        in_code = {message.id for message in read_po(f) if message.id}
    english_po = Path(PROJECT_ROOT, "translations/en/LC_MESSAGES/messages.po")
    with english_po.open("rb") as f:
        translated = {message.id for message in read_po(f)
                      if message.id and message.string and not message.fuzzy}
    assert sorted(in_code - translated) == []


def test_english_pages_use_the_translation(app, client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert "Username" in page and "用户名" not in page


def test_a_signed_in_page_is_english_throughout_in_its_includes_and_macros(app, client):
    # Strings of the page itself, of an included template and of a macro imported without the
    # page's context (which reads the translations another way).
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    client.post("/language", data={"lang": "en", "next": "/login"})
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Timeline" in page and "Record an interaction" in page and "Open the form" in page
    assert "交流时间线" not in page and "打开表单" not in page


def test_template_strings_are_formats_whether_or_not_they_have_variables(app):
    # Jinja's "newstyle" gettext: `%%` is a percent sign even without variables, and the
    # variables are escaped into the translated text.
    from flask import render_template_string

    with app.test_request_context("/"):
        shown = render_template_string(
            "{{ _('前 20%% 客户') }}|{{ _('没有百分号') }}|{{ _('%(name)s 的档案', name=name) }}",
            name="<b>某公司</b>")
    assert shown == "前 20% 客户|没有百分号|&lt;b&gt;某公司&lt;/b&gt; 的档案"
