"""The `Adresai` wording of a shutoff schedule → (street text, house selector) pairs. Pure Python.

Forms understood (as VŠT and the official polling-district lists write them):
    Žirmūnų g. 2, 4, 6A                         a list, with or without `Nr.`
    Žirmūnų g.: 2, 4, 6A                        a colon after the street
    Žirmūnų g. 14 K2 · 14 korp. 2 · 14K2        a building block; a bare `14` is the building without one
    Liepų al. 8–16 · 8-16 · 8 – 16              inclusive range by number then letter: 8, 8A, …, 16 (not 16A),
                                                every block of those numbers included
    Liepų al. 2–10 (išskyrus 6) · (išskyrus 6, 8A) · (poriniai, išskyrus 4)
                                                a range (or the whole street) but the buildings named
    Konduktorių g. 4–22 (poriniai) · (por.)     even / `(neporiniai)` · `(nepor.)` odd
    Lenktoji g. neporiniai numeriai nuo Nr. 59 iki Nr. 71 (imtinai)
    Studentų g. nuo Nr. 45A iki galo            to the end of the street: 45A, 45B, 46, …
    Gražinos g. · Gražinos g. (visi)             the whole street
    A. Goštauto g. Nr. 36, neporiniai numeriai nuo Nr. 3 iki Nr. 13, nuo Nr. 15 iki Nr. 19
                                                a parity word carries over the ranges that follow it
    …, numeriai nuo Nr. 6 iki galo               `numeriai` alone: every number again
    Jogailos g. neporiniai numeriai             every odd house of the street
    A. Jakšto g., A. Smetonos g.; …             streets separated by `;` or, when bare, by `,`
    M Dobužinskio g 5                           plate form without dots (they are put back)
A `;` part without a street name continues the previous street. Commas inside brackets do not separate.
Anything else raises WordingError naming the words that could not be read.
"""

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from flask_babel import gettext as _  # works without an app too (then it returns the Lithuanian text)

Parity = Literal["even", "odd"] | None

DASHES = re.compile(r"[\u2010-\u2015\u2212]")
LETTER = r"[^\W\d_]"
HOUSE = rf"(\d{{1,5}})(?:\s?({LETTER}))?(?!{LETTER})"
HOUSE_RE = re.compile(HOUSE)
# A house number with its letter and building block: `14`, `14A`, `14 K2`, `14K2`, `14 korp. 2`, `14A k. 2`.
BUILDING = rf"(\d{{1,5}})(?:\s?({LETTER})(?!{LETTER}))?(?:\s*(?:korp\.?|k\.?)\s*(\d{{1,3}})(?!\d)|(?!{LETTER}))"
NR = r"(?:nr\.?\s*)?"
BUILDING_RE = re.compile(rf"(?i){NR}{BUILDING}")
# Where the houses begin inside a comma-separated item: what follows is not part of the street name.
HOUSES_START = re.compile(
    rf"""(?ix)
    (?<!\w)(?:
        nr\.?\s*\d
      | nuo\s
      | (?:ne)?(?:poriniai|lyginiai)\b
      | numeriai\b
      | visi\b
      | \d{{1,5}}(?!\d)(?:\s?{LETTER})?(?!{LETTER})(?!\s*-\s*{LETTER})
    )
    | \(
    """
)
PARITY_WORDS = re.compile(r"(?i)\(?\s*(?<!\w)(ne)?(poriniai\b|lyginiai\b|por\.|por\b)(?:\s+numeriai)?\s*\)?")
ALL_NUMBERS = re.compile(r"(?i)^numeriai\b\s*")
WHOLE_WORDS = re.compile(r"(?i)^\(?\s*visi(?:\s+(?:numeriai|namai))?\s*\)?$")
VISI_IN_BRACKETS = re.compile(r"(?i)\(\s*visi\s*\)")
INCLUSIVE = re.compile(r"(?i)\(?\s*\bimtinai\b\s*\)?")
EXCEPT = re.compile(r"(?i)\(\s*(?:(visi|(?:ne)?poriniai|(?:ne)?por\.?)\s*,?\s*)?išskyrus\b([^()]*)\)")
BARE_EXCEPT = re.compile(r"(?i)\bišskyrus\b")
ITEM = re.compile(rf"(?i)^(?:nuo\s+)?{NR}{BUILDING}(?:\s*(?:-|iki\b)\s*(?:{NR}{HOUSE}|(galo)\b))?$")
AND_WORD = re.compile(r"(?i)\s+ir\s+")
# Words an item may hold; whatever else is left is what the error names.
KNOWN_WORDS = re.compile(rf"(?i){NR}{BUILDING}|\bnuo\b|\biki\b|\bgalo\b|-")
TYPE_ABBREVIATIONS = ("aklg", "skg", "skv", "kel", "tak", "pr", "al", "pl", "g", "a")
MISSING_TYPE_DOT = re.compile(rf"(?<=\s)({'|'.join(TYPE_ABBREVIATIONS)})$")
MISSING_INITIAL_DOT = re.compile(r"(?<![\w.])([A-ZĄČĘĖĮŠŲŪŽ])(?=\s)")


class WordingError(ValueError):
    """Text the parser does not understand; the message says which piece."""


@dataclass(frozen=True, order=True, slots=True)
class HouseNumber:
    """`12A` as (12, "A"): ordered by number, then letter (no letter first)."""

    number: int
    letter: str = ""

    @classmethod
    def parse(cls, text: str) -> "HouseNumber | None":
        return _parse_house(text)

    def __str__(self) -> str:
        return f"{self.number}{self.letter}"


@functools.lru_cache(maxsize=4096)
def _parse_house(text: str) -> HouseNumber | None:
    match = HOUSE_RE.fullmatch(text.strip())
    if not match:
        return None
    return HouseNumber(int(match.group(1)), (match.group(2) or "").upper())


@dataclass(frozen=True, order=True, slots=True)
class Building:
    """One building as a list names it: a house number and its block ("" for the building without a block)."""

    house: HouseNumber
    block: str = ""

    def __str__(self) -> str:
        return f"{self.house} K{self.block}" if self.block else str(self.house)


@dataclass(frozen=True, slots=True)
class HouseRange:
    """Inclusive from first to last (None: to the end of the street), optionally only even or odd numbers."""

    first: HouseNumber
    last: HouseNumber | None = None
    parity: Parity = None

    def covers(self, house: HouseNumber) -> bool:
        if house < self.first or (self.last is not None and house > self.last):
            return False
        if self.parity == "even":
            return house.number % 2 == 0
        if self.parity == "odd":
            return house.number % 2 == 1
        return True

    def __str__(self) -> str:
        last = "…" if self.last is None else str(self.last)
        return f"{self.first}–{last}"


@dataclass(frozen=True, slots=True)
class HouseSelector:
    """Which buildings of a street: all of them, or listed buildings and ranges, minus the exceptions.

    A listed building is exact (`14` is not `14 K2`); a range or the whole street takes every block of the
    numbers it covers; `excluded` buildings are left out of ranges and the whole street, never out of a list.
    """

    whole_street: bool = False
    numbers: tuple[Building, ...] = ()
    ranges: tuple[HouseRange, ...] = ()
    excluded: tuple[Building, ...] = ()

    def covers(self, number: str, block: str = "") -> bool:
        """Does the register building (house number `12`, `12A`; block `""`, `"2"`) fall under this selector?"""
        house = HouseNumber.parse(number)
        if house is None:
            return self.whole_street
        return self.covers_building(Building(house, block))

    def covers_building(self, building: Building) -> bool:
        """covers() for a house number already parsed."""
        if building in self.numbers:
            return True
        if building in self.excluded:
            return False
        return self.whole_street or any(r.covers(building.house) for r in self.ranges)


@dataclass(frozen=True, slots=True)
class StreetPart:
    """One street of an `Adresai` cell and the houses on it."""

    street: str  # as written, e.g. "M. K. Paco g."
    selector: HouseSelector


@dataclass
class _Builder:
    street: str
    numbers: list[Building] = field(default_factory=list)
    ranges: list[HouseRange] = field(default_factory=list)
    excluded: list[Building] = field(default_factory=list)
    whole: bool = False
    parity: Parity = None  # carried from a `poriniai numeriai` prefix to the ranges that follow
    trailing_parity: Parity = None  # `(poriniai)` after a range applies to this street's unmarked ranges
    unmarked: list[int] = field(default_factory=list)

    def build(self) -> StreetPart:
        ranges = list(self.ranges)
        if self.trailing_parity:
            for i in self.unmarked:
                ranges[i] = HouseRange(ranges[i].first, ranges[i].last, self.trailing_parity)
            if not ranges and not self.numbers and not self.whole:  # `Jogailos g. (nepor.)`: every odd house
                ranges.append(HouseRange(HouseNumber(0), None, self.trailing_parity))
        whole = self.whole or (not ranges and not self.numbers)
        selector = HouseSelector(
            whole_street=whole,
            numbers=tuple(self.numbers),
            ranges=() if whole else tuple(ranges),
            excluded=tuple(self.excluded),
        )
        return StreetPart(self.street, selector)


def normalise_wording(text: str) -> str:
    """One spacing, one kind of dash, no trailing full stop after a number: the form keys are made from."""
    text = DASHES.sub("-", text or "").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=[\d)])\.$", "", text)
    return text.strip(" ,;")


def tidy_street(text: str) -> str:
    """Restore the dots of the plate form: `M Dobužinskio g` → `M. Dobužinskio g.`; drop a trailing colon."""
    text = re.sub(r"\s+", " ", text).strip(" ,:")
    text = MISSING_TYPE_DOT.sub(r"\1.", text)
    return MISSING_INITIAL_DOT.sub(r"\1.", text)


def parse_addresses(text: str) -> list[StreetPart]:
    """Parse an `Adresai` cell; raises WordingError naming the piece it cannot read."""
    text = normalise_wording(text)
    if not text:
        raise WordingError(_("Adresų laukelis tuščias"))
    done: list[StreetPart] = []
    current: _Builder | None = None
    for part in (p.strip() for p in _split_outside_brackets(text, ";")):
        current = _read_part(part, current, done)
        if current is not None:
            # A `;` ends what a `poriniai numeriai` prefix set: the next part states its own parity.
            current.parity = None
    if current is not None:
        done.append(current.build())
    return done


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    """`text` split at `separator`, except inside round brackets (`2–10 (išskyrus 6, 8)` stays whole)."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == separator and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _read_part(part: str, current: _Builder | None, done: list[StreetPart]) -> _Builder | None:
    """Read one `;`-separated part; a street it starts ends the current one (appended to `done`)."""
    for item in (i.strip() for i in _split_outside_brackets(part, ",")):
        if not item:
            continue
        start = _houses_start(item)
        if start > 0:
            if current is not None:
                done.append(current.build())
            current = _Builder(street=tidy_street(item[:start]))
            item = item[start:].strip()
        elif current is None:
            raise WordingError(_("Nenurodyta gatvė prieš „%(text)s“", text=item))
        if item:
            _read_houses(current, item)
    return current


def _houses_start(item: str) -> int:
    """Index where the houses begin in an item (its length when it is a bare street name)."""
    match = HOUSES_START.search(item)
    return len(item) if match is None else match.start()


def _read_houses(street: _Builder, item: str) -> None:
    item = _read_exceptions(street, item)
    item = INCLUSIVE.sub(" ", item).strip()
    if not item:
        return
    if WHOLE_WORDS.match(item):
        street.whole = True
        return
    all_numbers = ALL_NUMBERS.match(item)
    if all_numbers:  # "numeriai nuo Nr. 6 iki galo": every number again, whatever parity came before
        street.parity = None
        item = item[all_numbers.end() :]
    rest = _read_parity(street, item)
    if not rest:
        if street.parity and not item.lstrip().startswith("("):
            street.ranges.append(HouseRange(HouseNumber(0), None, street.parity))  # "neporiniai numeriai": all odd
        return
    for piece in AND_WORD.split(rest):
        _read_item(street, piece.strip(), item)


def _read_exceptions(street: _Builder, item: str) -> str:
    """Note `(išskyrus 6, 8A)` (also `(visi, …)`, `(poriniai, …)`) on the street; returns the item without it."""
    for match in EXCEPT.finditer(item):
        prefix = (match.group(1) or "").casefold()
        if prefix and prefix != "visi":
            street.trailing_parity = "odd" if prefix.startswith("ne") else "even"
        names = [p.strip() for p in re.split(r",|\s+ir\s+", match.group(2)) if p.strip()]
        if not names:
            raise WordingError(_("Po „išskyrus“ nenurodyta, kurie namai (%(street)s)", street=street.street))
        for name in names:
            building = BUILDING_RE.fullmatch(name)
            if building is None:
                raise _unread(street, name, item)
            street.excluded.append(_building(building.group(1), building.group(2), building.group(3)))
    rest = EXCEPT.sub(" ", item).strip()
    if BARE_EXCEPT.search(rest):
        raise WordingError(
            _(
                "Išimtis rašykite skliaustuose, pavyzdžiui, „2–10 (išskyrus 6)“: „%(text)s“ (%(street)s)",
                text=item,
                street=street.street,
            )
        )
    return rest


def _read_parity(street: _Builder, item: str) -> str:
    """Note the parity words of an item on the street; returns what is left of the item."""
    for parity_match in PARITY_WORDS.finditer(item):
        parity: Parity = "odd" if parity_match.group(1) else "even"
        if parity_match.group(0).strip().startswith("("):
            street.trailing_parity = parity
        else:
            street.parity = parity
    rest = PARITY_WORDS.sub(" ", item).strip()
    return VISI_IN_BRACKETS.sub("", rest).strip()


def _read_item(street: _Builder, piece: str, item: str) -> None:
    """One building (`12A`, `14 K2`) or range (`8–16`, `nuo Nr. 45A iki galo`); `item` is what the error quotes."""
    match = ITEM.match(piece)
    if not match:
        raise _unread(street, piece, item)
    first = HouseNumber(int(match.group(1)), (match.group(2) or "").upper())
    if match.group(4) is None and match.group(6) is None:
        street.numbers.append(_building(match.group(1), match.group(2), match.group(3)))
        return
    if match.group(3):
        raise WordingError(
            _("Korpusas intervale neleidžiamas: „%(text)s“ (%(street)s)", text=piece, street=street.street)
        )
    last = None if match.group(6) else HouseNumber(int(match.group(4)), (match.group(5) or "").upper())
    if last is not None and last < first:
        raise WordingError(
            _("Tuščias intervalas %(first)s–%(last)s (%(street)s)", first=first, last=last, street=street.street)
        )
    if street.parity is None:
        street.unmarked.append(len(street.ranges))
    street.ranges.append(HouseRange(first, last, street.parity))


def _building(number: str, letter: str | None, block: str | None) -> Building:
    return Building(HouseNumber(int(number), (letter or "").upper()), str(int(block)) if block else "")


def _unread(street: _Builder, piece: str, item: str) -> WordingError:
    """The error for a piece that is not a building or range: it names the words left over."""
    leftover = " ".join(KNOWN_WORDS.sub(" ", piece).split()) or piece
    return WordingError(
        _("Nesuprantu „%(words)s“ dalyje „%(text)s“ (%(street)s)", words=leftover, text=item, street=street.street)
    )
