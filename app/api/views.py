"""JSON API v1: lookup, one address, autocomplete suggestions."""

import json
from pathlib import Path

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from app.addresses.lookup import address_index, lookup
from app.addresses.matcher import MatchResult
from app.addresses.models import Address
from app.extensions import db
from app.shutoffs.published import PublishedShutoff, coming_shutoffs
from app.shutoffs.queries import horizon_days, hot_water_off_soon
from app.timeutil import today_in_vilnius

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_QUERY_LENGTH = 200


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


def address_json(code: str, label: str, street_code: str) -> dict:
    return {"code": code, "label": label, "street_code": street_code}


def shutoffs_part(address_code: str) -> dict:
    shutoffs = coming_shutoffs(address_code, today_in_vilnius(), horizon_days())
    return {"shutoffs": [shutoff_json(s) for s in shutoffs], "hot_water_off_soon": hot_water_off_soon(shutoffs)}


def lookup_json(result: MatchResult) -> dict:
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
        a = result.address
        body["address"] = address_json(a.code, a.label, a.street_code)
        body.update(shutoffs_part(a.code))
    return body


@bp.get("/lookup")
def lookup_view():
    return jsonify(lookup_json(lookup(query_text())))


@bp.get("/addresses/<code>")
def address_view(code: str):
    address = db.session.get(Address, code) if len(code) <= 20 else None
    if address is None:
        abort(404)
    return jsonify(address=address_json(address.code, address.label, address.street_code), **shutoffs_part(code))


OPENAPI = json.loads((Path(__file__).parent / "openapi.json").read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_view():
    return jsonify(OPENAPI)


@bp.get("/suggest")
def suggest_view():
    text = query_text()
    return jsonify(query=text, suggestions=address_index().suggest(text, limit=8))
