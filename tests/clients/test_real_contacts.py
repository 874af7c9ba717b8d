"""Real contact files written by other software (../shared/contacts-real/): nobody is lost.

Each file is imported as a user would import it; every person `expected.json` lists (computed by
an independent parser) must then be found by the client search under their name, ungarbled.
"""
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from crmweb.auth.actors import CommandLineActor
from crmweb.clients import importer, search
from crmweb.clients.importing import parse_file
from crmweb.clients.models import Contact
from crmweb.clients.names import normalise
from crmweb.extensions import db
from crmweb.timeutil import utcnow

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "contacts-real"
needs_corpus = pytest.mark.skipif(not (CORPUS / "expected.json").exists(),
                                  reason="../shared/contacts-real is absent")


def _folded(text: str) -> str:
    return re.sub(r"[\s,.;]+", "", normalise(text or ""))


def _found_by_search(person: dict, now) -> bool:
    """Searching any of the person's names finds a client with that name or such a contact."""
    for term in dict.fromkeys([person["name"], *person["terms"]]):
        page = search.search_clients(search.SearchFilters(query=term[:40]), 1, 50, now)
        wanted = _folded(term)[:40]
        for client in page.items:
            if any(wanted in _folded(name) for name in [client.name, *(c.name for c in client.contacts)]):
                return True
    return False


@needs_corpus
def test_people_in_real_contact_files_are_all_found_after_import(app):
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    found, missing = 0, []
    with app.app_context():
        for filename, about in sorted(expected.items()):
            parsed = parse_file((CORPUS / filename).read_bytes(), filename)
            now = utcnow()
            importer.import_clients(CommandLineActor(), None, parsed, now)
            # Checked right after each file: a later file may update the same person (same email).
            for person in about["people"]:
                if _found_by_search(person, now):
                    found += 1
                else:
                    missing.append(f"{filename}: {person['name']}")
        garbled = db.session.scalars(sa.select(Contact.name).where(Contact.name.contains("\ufffd"))).all()
    assert garbled == []
    assert found / (found + len(missing)) >= 0.95, f"{found} found; missing: {missing}"


@needs_corpus
def test_feature_phones_declare_shift_jis_per_field():
    parsed = parse_file((CORPUS / "aosp-v21_japanese_1.vcf").read_bytes(), "japanese.vcf")
    assert [row.contact["name"] for row in parsed.rows] == ["安藤ロイド"]
    assert parsed.problems == []
