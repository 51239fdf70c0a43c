"""Rows of a schedule → the register addresses they cover, or why a row cannot be resolved (never a guess)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.addresses.lookup import address_index
from app.addresses.matcher import AddressIndex, AddressRecord, StreetMatch, StreetRecord, street_forms
from app.addresses.normalise import name_tokens, parse_query
from app.shutoffs.files import RowProblem, ScheduleRow
from app.shutoffs.schedule import (
    Building,
    HouseNumber,
    HouseSelector,
    StreetPart,
    WordingError,
    normalise_wording,
    parse_addresses,
)


@dataclass(frozen=True, slots=True)
class StreetReading:
    """One street of a row: as written, as read in the register, and the buildings it covers there."""

    written: str  # "Kostitucjos pr."
    label: str  # "Konstitucijos pr."
    corrected: bool  # the reading is not one of the street's own written forms (a typo was forgiven)
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ResolvedScheduleRow:
    """A schedule row with every register address it covers (in order, once each) and how its streets read."""

    row: ScheduleRow
    codes: tuple[str, ...]
    streets: tuple[StreetReading, ...] = ()


class _Streets:
    """What one resolution has already looked up: streets by the text written, houses by street."""

    def __init__(self, index: AddressIndex):
        self.index = index
        self._matches: dict[str, tuple[StreetMatch, bool]] = {}
        self._houses: dict[str, list[tuple[AddressRecord, Building | None]]] = {}

    def match(self, written: str) -> tuple[StreetMatch, bool]:
        """The matcher's answer for a street as written, and whether it read the text as written."""
        if written not in self._matches:
            match = self.index.match_street(written)
            as_written = match.street is not None and read_as_written(written, match.street)
            self._matches[written] = (match, as_written)
        return self._matches[written]

    def houses(self, street_code: str) -> list[tuple[AddressRecord, Building | None]]:
        """The street's houses in order, each with its number parsed (None when it is not a house number)."""
        if street_code not in self._houses:
            self._houses[street_code] = [
                (h, Building(n, h.block) if (n := HouseNumber.parse(h.number)) is not None else None)
                for h in self.index.houses(street_code)
            ]
        return self._houses[street_code]


def resolve_schedule_rows(rows: list[ScheduleRow]) -> tuple[list[ResolvedScheduleRow], list[RowProblem]]:
    """Each row's address codes, or the problem that stops it (unknown street, missing house, a repeated row)."""
    streets = _Streets(address_index())
    resolved, problems = [], []
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = (
            normalise_wording(row.addresses).casefold(),
            row.kind,
            row.first_day,
            row.last_day,
            row.work_number,
        )
        if identity in seen:
            problems.append(RowProblem(row.line, row.addresses, _("Kartoja eilutę %(line)d", line=seen[identity])))
            continue
        seen[identity] = row.line
        try:
            readings = _readings(streets, row)
        except _Unresolved as exc:
            problems.append(RowProblem(row.line, row.addresses, exc.message, exc.suggestions))
            continue
        codes = tuple(dict.fromkeys(code for reading in readings for code in reading.codes))
        resolved.append(ResolvedScheduleRow(row, codes, readings))
    return resolved, problems


def read_as_written(written: str, street: StreetRecord) -> bool:
    """Is `written` one of the street's own forms (full name, initials, surname), spelling folded?

    False means the matcher forgave a typo (`Kostitucjos pr.` read as Konstitucijos pr.): the preview marks it.
    """
    tokens = list(parse_query(written).street_tokens)
    return bool(set(street_forms(tokens)) & set(street_forms(name_tokens(street.name))))


class _Unresolved(Exception):
    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.message, self.suggestions = message, suggestions


def _readings(streets: _Streets, row: ScheduleRow) -> tuple[StreetReading, ...]:
    """How each street of the row reads and which buildings it covers; raises _Unresolved."""
    try:
        parts = parse_addresses(row.addresses)
    except WordingError as exc:
        raise _Unresolved(str(exc)) from None
    readings = []
    for part in parts:
        match, as_written = streets.match(part.street)
        street = _certain_street(part, match)
        codes = tuple(h.code for h in _houses(streets.houses(street.code), part.selector, street))
        readings.append(StreetReading(part.street, street.label, not as_written, codes))
    return tuple(readings)


def _certain_street(part: StreetPart, match: StreetMatch) -> StreetRecord:
    """The register street a part names, when the matcher is certain of it."""
    # A schedule names streets officially: another type word than written is not certain enough
    # (the matcher forgives it to residents; a wrong initial it already treats as a question).
    if match.status == "found" and match.street is not None and match.type_contradicted:
        raise _Unresolved(_("Gatvė „%(street)s“ neaiški", street=part.street), (match.street.label,))
    if match.status == "found" and match.street is not None:
        return match.street
    suggestions = tuple(c.label for c in match.candidates)
    if match.status == "ambiguous":
        raise _Unresolved(_("Gatvė „%(street)s“ neaiški", street=part.street), suggestions)
    raise _Unresolved(_("Gatvė „%(street)s“ nerasta", street=part.street), suggestions)


def _houses(
    houses: list[tuple[AddressRecord, Building | None]], selector: HouseSelector, street: StreetRecord
) -> list[AddressRecord]:
    """The street's houses the selector covers; every listed building and range must name a real one."""
    if not selector.whole_street:
        present = {building for _h, building in houses if building is not None}
        for building in selector.numbers:
            if building not in present:
                raise _Unresolved(
                    _("%(street)s Nr. %(number)s nerastas", street=street.label, number=str(building)),
                    tuple(h.label for h in _nearby([h for h, _b in houses], building.house)),
                )
        numbers = {b.house for b in present}
        for house_range in selector.ranges:
            if not any(house_range.covers(n) for n in numbers):
                raise _Unresolved(
                    _("%(street)s: intervale %(range)s nėra nė vieno namo", street=street.label, range=str(house_range))
                )
    chosen = [
        h
        for h, building in houses
        if (selector.whole_street if building is None else selector.covers_building(building))
    ]
    if not chosen:
        raise _Unresolved(_("%(street)s: registre nėra namų", street=street.label))
    return chosen


def _nearby(houses: list[AddressRecord], number: HouseNumber, limit: int = 3) -> list[AddressRecord]:
    scored = []
    for house in houses:
        parsed = HouseNumber.parse(house.number)
        if parsed is not None:
            scored.append((abs(parsed.number - number.number), parsed, house.block, house))
    scored.sort(key=lambda t: (t[0], t[1], t[2]))
    return [house for _distance, _parsed, _block, house in scored[:limit]]
