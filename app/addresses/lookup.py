"""The per-worker address index, built from the database and rebuilt when the register changes.

from app.addresses.lookup import address_index, lookup
result = lookup("zirmunu 12a-5")          # MatchResult (see matcher.py)
address_index().houses(street_code)         # AddressRecord list in house order
address_index().match_street("Liepų al.")   # StreetMatch for the schedule parser
"""

from sqlalchemy import select

from app.addresses.matcher import AddressIndex, AddressRecord, MatchResult, StreetRecord
from app.addresses.models import Address, Street, address_label
from app.addresses.reference import places, street_aliases
from app.datacache import VersionedCache
from app.extensions import db


def build_index_from_database() -> AddressIndex:
    """Read every current street and address into a fresh in-memory index, with the aliases and places of data/."""
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
    return AddressIndex(list(streets.values()), addresses, aliases=street_aliases(), places=places())


_index_cache: VersionedCache[AddressIndex] = VersionedCache("register", lambda: build_index_from_database())


def address_index() -> AddressIndex:
    """This worker's index; rebuilt when the register version in the database moves."""
    return _index_cache.get()


def forget_index() -> None:
    """Drop the cached index (the register changed in this process)."""
    _index_cache.forget()


def lookup(query: str) -> MatchResult:
    """Match what a resident typed against the current register."""
    return address_index().match(query)
