"""Settings read back as what they were set to: typed by their default, once per request."""
from datetime import time
from decimal import Decimal

import pytest

from crmweb.settings import format_setting, parse_setting


@pytest.mark.parametrize("default, value", [
    (True, False), (False, True), (7, 14), (Decimal("10000"), Decimal("12500.50")),
    (time(8, 0), time(21, 30)), (("sms",), ("sms", "email")), ("text", "其他"),
])
def test_a_setting_reads_back_as_it_was_set(default, value):
    assert parse_setting(default, format_setting(value)) == value


def test_false_is_false():
    assert parse_setting(True, "False") is False


def test_settings_are_read_once_per_request(app):
    import sqlalchemy as sa

    from crmweb.extensions import db
    from crmweb.settings import get_setting

    statements = []
    with app.test_request_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        get_setting("vip.single_purchase_min"), get_setting("archive.grant_days")
        get_setting("vip.monthly_purchase_min")
    assert len([s for s in statements if "settings" in s]) == 1
