"""JSON API v1: lookup, one address, autocomplete suggestions."""

import json
from datetime import date
from pathlib import Path

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from app.addresses.lookup import address_index
from app.addresses.matcher import AddressRecord
from app.forms import MAX_QUERY_LENGTH
from app.shutoffs.published import PublishedShutoff, season_shutoffs
from app.shutoffs.queries import SearchAnswer, answer_search, building_record, hot_water_off_soon, within_horizon
from app.timeutil import today_in_vilnius

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class BadQuery(Exception):
    def __init__(self, message: str):
        self.message = message


@bp.errorhandler(BadQuery)
def bad_query(error: BadQuery):
    return jsonify(error=error.message), 400


def query_text() -> str:
    """The `q` parameter, or a 400 that says what is wrong."""
    text = request.args.get("q", "", type=str).strip()
    if not text:
        raise BadQuery(_("Įveskite adresą (parametras q)."))
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(_("Adresas per ilgas: ne daugiau kaip %(max)d simbolių.", max=MAX_QUERY_LENGTH))
    return text


def shutoff_json(shutoff: PublishedShutoff) -> dict:
    return {
        "start": shutoff.first_day.isoformat(),
        "end": shutoff.last_day.isoformat(),
        "kind": str(shutoff.kind),
        "status": str(shutoff.status),
        "note": shutoff.note,
    }


def address_json(address: AddressRecord) -> dict:
    return {"code": address.code, "label": address.label, "street_code": address.street_code}


def shutoffs_json(season: list[PublishedShutoff], today: date) -> dict:
    """Every shutoff of the season (not ended, cancelled ones with their status); whether water is off soon."""
    return {
        "shutoffs": [shutoff_json(s) for s in season],
        "hot_water_off_soon": hot_water_off_soon(within_horizon(season, today)),
    }


def lookup_json(answer: SearchAnswer, today: date) -> dict:
    result = answer.result
    body = {
        "query": result.query,
        "status": result.status,
        "address": None,
        "street": {"code": result.street.code, "label": result.street.label} if result.street else None,
        "candidates": [{"code": c.code, "label": c.label, "score": c.score, "kind": c.kind} for c in result.candidates],
        "place": result.place or None,
        "nearby_numbers": list(result.nearby_numbers),
        "shutoffs": [],
        "hot_water_off_soon": None,
    }
    if result.status == "found" and result.address:
        body["address"] = address_json(result.address)
        body.update(shutoffs_json(answer.season, today))
    return body


@bp.get("/lookup")
def lookup_view():
    today = today_in_vilnius()
    return jsonify(lookup_json(answer_search(query_text(), today), today))


@bp.get("/addresses/<code>")
def address_view(code: str):
    address = building_record(code)
    if address is None:
        abort(404)
    today = today_in_vilnius()
    return jsonify(address=address_json(address), **shutoffs_json(season_shutoffs(code, today), today))


OPENAPI = json.loads((Path(__file__).parent / "openapi.json").read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_view():
    return jsonify(OPENAPI)


@bp.get("/suggest")
def suggest_view():
    text = query_text()
    return jsonify(query=text, suggestions=address_index().suggest(text, limit=8))
