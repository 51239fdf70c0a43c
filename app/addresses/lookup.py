"""The per-worker address index, built from the database and rebuilt when the register changes.

from app.addresses.lookup import address_index, lookup
result = lookup("zirmunu 12a-5")          # MatchResult (see matcher.py)
address_index().houses(street_code)         # AddressRecord list in house order
address_index().match_street("Liepų al.")   # StreetMatch for the schedule parser
"""

import threading
import time

from sqlalchemy import select

from app.addresses.matcher import AddressIndex, AddressRecord, MatchResult, StreetRecord
from app.addresses.models import Address, Street, address_label, current_data_version
from app.extensions import db

# How long a worker trusts its index before asking the database for the register version again.
VERSION_CHECK_SECONDS = 2.0

_lock = threading.Lock()
_cache: dict[str, object] = {"index": None, "version": None, "checked": 0.0, "engine": None}


def build_index_from_database() -> AddressIndex:
    """Read every current street and address into a fresh in-memory index."""
    streets = {
        s.code: StreetRecord(code=s.code, name=s.name, type_word=s.type_word, type_abbr=s.type_abbr)
        for s in db.session.scalars(select(Street).where(Street.retired_at.is_(None)))
    }
    rows = db.session.execute(
        select(Address.code, Address.street_code, Address.number, Address.block).where(Address.retired_at.is_(None))
    )
    addresses = []
    for code, street_code, number, block in rows:
        street = streets.get(street_code)
        if street is not None:
            label = address_label(street.name, street.type_abbr, number, block)
            addresses.append(AddressRecord(code, street_code, number, block, label))
    return AddressIndex(streets=list(streets.values()), addresses=addresses)


def address_index() -> AddressIndex:
    """This worker's index; rebuilt when the register version in the database moves."""
    now = time.monotonic()
    engine = db.engine
    index = _cache["index"]
    if index is not None and _cache["engine"] is engine and now - _cache["checked"] < VERSION_CHECK_SECONDS:
        return index
    version = current_data_version("register")
    with _lock:
        if _cache["index"] is None or _cache["engine"] is not engine or _cache["version"] != version:
            _cache["index"] = build_index_from_database()
            _cache["version"] = version
            _cache["engine"] = engine
        _cache["checked"] = now
        return _cache["index"]


def forget_index() -> None:
    """Drop the cached index (tests that change the register call this, or wait for the version check)."""
    with _lock:
        _cache.update(index=None, version=None, checked=0.0, engine=None)


def lookup(query: str) -> MatchResult:
    """Match what a resident typed against the current register."""
    return address_index().match(query)
