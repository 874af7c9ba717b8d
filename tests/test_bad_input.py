"""Bad input in URLs and forms is a 4xx with a message, never a 500: ids beyond any record,
digits that are not ASCII, unknown filter values."""
import re

import pytest

from crmweb.ids import MAX_ID, coerce_id, whole_number
from tests.clients.helpers import make_client

BEYOND_ANY_ID = "99999999999999999999"
ODD_ARGUMENTS = ["page=abc", "page=-5", "page=%C2%B2", "owner=" + BEYOND_ANY_ID, "label=%C2%B2",
                 "stage=bogus", "tier=x", "vip=zz", "overdue=maybe", "q=%00%FF", "s=" + BEYOND_ANY_ID,
                 "interaction=" + BEYOND_ANY_ID, "days=%C2%B2", "status=xx", "category=%3Cscript%3E"]


@pytest.mark.parametrize("raw, expected", [
    ("42", 42), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), (BEYOND_ANY_ID, None), ("0", None),
    ("-3", None), ("²", None), ("١٢", None), ("", None), (None, None), (" 7", None)])
def test_whole_numbers_are_ascii_digits_within_the_range_of_an_id(raw, expected):
    assert whole_number(raw) == expected


def test_a_select_of_records_refuses_what_cannot_be_an_id():
    assert coerce_id("12") == 12 and coerce_id(12) == 12
    for bad in (BEYOND_ANY_ID, "abc", "²", 0):
        with pytest.raises(ValueError):
            coerce_id(bad)


def _get_urls(app) -> list[str]:
    """Every GET page, ids in its path replaced by one beyond any record."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = re.sub(r"<int:[a-z_]+>", BEYOND_ANY_ID, rule.rule)
        urls.append(re.sub(r"<[a-z_]+>", "unknown", url))
    return urls


@pytest.mark.parametrize("role", ["manager", "specialist", "reception"])
def test_no_page_answers_odd_urls_with_a_server_error(app, client, login_as, role):
    login_as(role)
    for url in _get_urls(app):
        for arguments in ["", *ODD_ARGUMENTS]:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(f"{url}?{arguments}", headers=headers)
                assert response.status_code < 500, (url, arguments, headers)
                if BEYOND_ANY_ID in url:  # unknown, or refused before it is looked up (400: a NUL)
                    assert response.status_code in (400, 403, 404), (url, arguments)


def test_a_nul_character_in_a_query_or_a_form_is_refused(client, login_as):
    login_as("specialist")
    response = client.get("/clients?q=%E5%BE%90%00")
    assert response.status_code == 400 and "请求中含有无效字符" in response.get_data(as_text=True)
    assert client.post("/kb/new", data={"title": "a\x00b", "body": "x"}).status_code == 400


def test_choosing_an_owner_beyond_any_id_is_refused(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager)
    response = client.post(f"/clients/{client_id}/owner", data={"owner_id": BEYOND_ANY_ID})
    assert 400 <= response.status_code < 500
    response = client.post("/clients/bulk", data={"client_id": [str(client_id), BEYOND_ANY_ID, "²"],
                                                  "action": "set_owner", "set_owner": BEYOND_ANY_ID})
    assert response.status_code == 422 and "所选人员不能负责客户" in response.get_data(as_text=True)
