"""Free text → one building of the register. Pure Python: no Flask, no database.

Interface (stable; the real ranking is filled in behind it):
    index = AddressIndex(streets=[StreetRecord…], addresses=[AddressRecord…])
    index.match("zirmunu 12a-5")  -> MatchResult(status="found", address=…, …)
    index.match_street("P. Alšėniškio g.") -> StreetMatch(status="found"|"ambiguous"|"not_found", …)
    index.houses(street_code) -> [AddressRecord…] in house-number order
    index.suggest("zirm", limit=8) -> [labels]
"""

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["found", "ambiguous", "street_only", "not_found"]


@dataclass(frozen=True, slots=True)
class StreetRecord:
    code: str
    name: str  # official full form without the type word: "Povilo Alšėniškio"
    type_word: str  # "gatvė"
    type_abbr: str  # "g."

    @property
    def label(self) -> str:
        return f"{self.name} {self.type_abbr}"


@dataclass(frozen=True, slots=True)
class AddressRecord:
    code: str
    street_code: str
    number: str  # "12", "12A"
    block: str  # "" or "2"
    label: str  # "Žirmūnų g. 12A", "Žirmūnų g. 12 K2"


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    query: str
    status: Status
    address: AddressRecord | None = None
    street: StreetRecord | None = None
    candidates: tuple[Candidate, ...] = ()
    nearby_numbers: tuple[str, ...] = ()  # street_only: the closest house numbers that exist
    flat: str = ""  # the flat the resident typed, if any ("12-5" → "5")


@dataclass(frozen=True, slots=True)
class StreetMatch:
    status: Literal["found", "ambiguous", "not_found"]
    street: StreetRecord | None = None
    candidates: tuple[Candidate, ...] = field(default=())
