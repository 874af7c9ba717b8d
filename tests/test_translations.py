"""Chinese first, English complete: every string in the code has its English translation."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from crmweb.config import PROJECT_ROOT


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
