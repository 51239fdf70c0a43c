"""JSON responses: Flask's document (sorted keys, compact, dates as HTTP dates), UTF-8 letters as they are."""

import dataclasses
from datetime import date
from decimal import Decimal

from flask import jsonify


def test_a_lookup_answer_is_compact_sorted_json_with_lithuanian_letters_as_utf8(client, make_address):
    make_address(street="Žirmūnų g.", number="12", code="155000012")
    response = client.get("/api/v1/lookup?q=Žirmūnų g. 12")
    text = response.get_data(as_text=True)
    assert text.startswith('{"address":{"code":"155000012","label":"Žirmūnų g. 12","street_code":')
    assert text.endswith(
        '"status":"found","street":{"code":"' + response.json["street"]["code"] + '","label":"Žirmūnų g."}}\n'
    )


def test_values_json_has_no_type_for_are_written_as_flask_writes_them(app):
    @dataclasses.dataclass
    class Window:
        first: date
        amount: Decimal

    with app.test_request_context():
        body = jsonify(window=Window(date(2026, 12, 1), Decimal("1.50")), day=date(2026, 12, 2)).get_data(as_text=True)
    assert body == (
        '{"day":"Wed, 02 Dec 2026 00:00:00 GMT","window":{"amount":"1.50","first":"Tue, 01 Dec 2026 00:00:00 GMT"}}\n'
    )


def test_what_orjson_cannot_write_flasks_encoder_writes(app):
    with app.test_request_context():
        assert (
            jsonify(big=2**70, key={1: "one"}).get_data(as_text=True)
            == '{"big":1180591620717411303424,"key":{"1":"one"}}\n'
        )


def test_templates_tojson_keeps_flasks_escaping(app):
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ value|tojson }}").render(value="</script> Ž")
    assert rendered == '"\\u003c/script\\u003e \\u017d"'
