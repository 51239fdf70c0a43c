"""The per-worker address index, built from the database and rebuilt when the register changes.

from app.addresses.lookup import address_index, lookup
result = lookup("zirmunu 12a-5")          # MatchResult (see matcher.py)
address_index().houses(street_code)         # AddressRecord list in house order
address_index().match_street("Liepų al.")   # StreetMatch for the schedule parser

`lookup` remembers its latest answers (MATCH_MEMO_SIZE of them) for the index it asked: an answer depends
only on the text and the register, and residents ask for the same addresses again and again (their own, the
autocomplete's labels). A new index (the register changed) starts with none.
"""

from collections.abc import Callable
from functools import lru_cache

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


# Answers remembered per worker, least recently asked dropped first. An answer mostly points at records the
# index holds anyway: 4096 of them (the shared dev queries in other spellings) took 1.5 MB, ~360 bytes each.
MATCH_MEMO_SIZE = 4096

# (the index, its match() behind a memo); replaced whole, so a thread never pairs one index with another's memo.
_memo: tuple[AddressIndex | None, Callable[[str], MatchResult] | None] = (None, None)


def lookup(query: str) -> MatchResult:
    """Match what a resident typed against the current register (the same answer as address_index().match)."""
    global _memo
    index = address_index()
    memo_index, match = _memo
    if memo_index is not index:
        match = lru_cache(maxsize=MATCH_MEMO_SIZE)(index.match)
        _memo = (index, match)
    return match(query)
