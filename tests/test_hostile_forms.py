"""Every form the app shows, as every role, filled with hostile values (empty, huge, negative, wrong
types, impossible dates, script, NUL): never a 500, never a traceback on screen, and a refused
form writes nothing. The forms are found the way a person finds them: on the pages of the menu and
the pages those link to, with the demo data loaded."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
import sqlalchemy as sa

from crmweb.areas import AREAS
from crmweb.auth import services
from crmweb.auth.permissions import ROLES
from crmweb.demo import DEMO_USERS
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.conftest import TEST_PASSWORD, log_in

PAGES_PER_ROLE = 200
# Rows that any request may write: who signed in, what was refused (audited), notices.
WRITTEN_BY_ANY_REQUEST = {"user_sessions", "audit_events", "notices", "kb_search_log"}
# Forms that end what the crawl needs (signing out) or change a password it signs in with.
SKIPPED_ACTIONS = re.compile(r"/logout|/account/password|/set-password|/language")
SCRIPT = '<script>alert("x")</script>"\'><img src=x onerror=alert(1)>'


def hostile(kind: str, field: dict) -> str | None:
    """The value a field gets in one round; None leaves the field out."""
    typed = field.get("type", "text")
    if kind == "empty":
        return ""
    if kind == "huge":
        return "长" * 5000
    if kind == "negative":
        return "-99999999999999999999" if typed in ("number", "hidden", "select") else "-1"
    if kind == "wrong":
        return {
            "date": "2026-13-45",
            "datetime-local": "2026-02-30T25:61",
            "number": "abc",
            "select": "999999999999",
            "hidden": "²",
        }.get(typed, "１２３abc")
    if kind == "script":
        return SCRIPT
    if kind == "nul":
        return "a\x00b"
    raise ValueError(kind)


ROUNDS = ("empty", "huge", "negative", "wrong", "script", "nul")


class Page(HTMLParser):
    """The links and the POST forms of a page, each field with what a person would send as the page
    stands: the text filled in, the option selected (else the first that has a value), whether a
    box is ticked."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._open = [], [], None, None  # _open: a select or textarea

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = (
                "select" if tag == "select" else attrs.get("type", "text") if tag == "input" else "textarea"
            )
            value = attrs.get("value", "") if tag == "input" else ""
            field = {"name": attrs["name"], "type": kind, "value": value, "checked": "checked" in attrs}
            self._form["fields"].append(field)
            self._open = None if tag == "input" else field
        elif tag == "option" and self._open is not None and ("selected" in attrs or not self._open["value"]):
            self._open["value"] = attrs.get("value", "")

    def handle_data(self, data):
        if self._open is not None and self._open["type"] == "textarea":
            self._open["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._open = None


def counts() -> dict:
    with db.engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
            if table.name not in WRITTEN_BY_ANY_REQUEST
        }


def shape(path: str) -> str:
    return re.sub(r"/\d+", "/N", path)


def crawl(client, start: list[str], visited: list[str]) -> list[tuple[str, dict]]:
    """(page, form) for the distinct forms on the pages reachable from the menu; the pages seen are
    added to `visited`."""
    seen_pages, seen_forms, found, queue = set(), set(), [], list(start)
    while queue and len(seen_pages) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen_pages:
            continue
        seen_pages.add(shape(path))
        visited.append(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = Page()
        page.feed(response.get_data(as_text=True))
        for form in page.forms:
            action = urljoin(path, form["action"] or path)
            key = (shape(urlparse(action).path), tuple(sorted(f["name"] for f in form["fields"])))
            if key not in seen_forms and not SKIPPED_ACTIONS.search(action):
                seen_forms.add(key)
                found.append((path, {**form, "action": action}))
        for link in page.links:
            target = urlparse(urljoin(path, link))
            if (
                not target.netloc
                and target.path.startswith("/")
                and not re.search(r"\.(csv|xlsx|vcf|ics)$|/documents/|logout", target.path)
            ):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


@pytest.fixture
def demo(app):
    with app.app_context():
        now = utcnow()
        people = {
            role: services.create_user(None, username, username, role, TEST_PASSWORD, now).username
            for role, username, _name in DEMO_USERS
        }
        for area in AREAS:
            if area.seed_demo:
                area.seed_demo(now)
        db.session.commit()
    return people


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_form_survives_hostile_values(app, client, demo, role):
    assert log_in(client, demo[role]).status_code == 302
    menu = [
        "/",
        *(
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and "<" not in rule.rule
            and rule.endpoint != "static"
            and not re.search(r"logout|export|\.ics|healthz|notices", rule.rule)
        ),
    ]
    visited: list[str] = []
    forms = crawl(client, menu, visited)
    assert forms, "no forms found"
    failures = []
    for page, form in forms:
        for kind in ROUNDS:
            token = client.get(page).get_data(as_text=True)
            match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', token)
            data = {}
            for field in form["fields"]:
                if field["name"] == "csrf_token":
                    data["csrf_token"] = match.group(1) if match else ""
                elif field["type"] not in ("file", "submit", "button"):
                    data[field["name"]] = hostile(kind, field)
            with app.app_context():
                before = counts()
            response = client.post(form["action"], data=data)
            text = response.get_data(as_text=True)
            if response.status_code >= 500 or "Traceback" in text:
                failures.append((form["action"], kind, response.status_code))
            elif 400 <= response.status_code < 500:
                with app.app_context():
                    after = counts()
                if after != before:
                    changed = {name for name in after if after[name] != before[name]}
                    failures.append(
                        (form["action"], kind, f"refused with {response.status_code} but wrote {changed}")
                    )
            if SCRIPT in text:
                failures.append((form["action"], kind, "script echoed unescaped"))
            if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
                assert log_in(client, demo[role]).status_code == 302
    # What was saved is shown escaped wherever it appears afterwards.
    for path in visited:
        shown = client.get(path)
        if "text/html" in shown.content_type and SCRIPT in shown.get_data(as_text=True):
            failures.append((path, "script", "shown unescaped"))
    assert failures == []


CSRF_EXEMPT = {"messages.provider_callback"}  # the SMS provider's servers: a secret address instead


def test_every_unsafe_route_refuses_a_request_without_its_csrf_token(app, demo):
    """Signed in as the director (who may do most), every POST route of the app, with the ids of the
    demo data, is refused without the token, and nothing is written."""
    signed_in = app.test_client()
    assert log_in(signed_in, demo["director"]).status_code == 302
    signed_in.send_csrf = False
    routes = [
        rule
        for rule in app.url_map.iter_rules()
        if {"POST", "PUT", "PATCH", "DELETE"} & rule.methods and rule.endpoint not in CSRF_EXEMPT
    ]
    assert len(routes) > 100
    with app.app_context():
        before = counts()
    for rule in routes:
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        response = signed_in.post(path, data={"name": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)
    with app.app_context():
        assert counts() == before
