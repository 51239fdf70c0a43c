"""Rows of a schedule → the register addresses they cover, or why a row cannot be resolved (never a guess)."""

import hashlib
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from app.addresses.lookup import address_index
from app.addresses.matcher import AddressIndex, AddressRecord, StreetMatch, StreetRecord
from app.shutoffs.files import RowProblem, ScheduleRow
from app.shutoffs.schedule import (
    HouseNumber,
    HouseSelector,
    StreetPart,
    WordingError,
    normalise_wording,
    parse_addresses,
)


@dataclass(frozen=True)
class ResolvedScheduleRow:
    """A schedule row with every register address it covers, and the key of its planned work."""

    row: ScheduleRow
    codes: tuple[str, ...]
    source_key: str


def source_key(row: ScheduleRow, occurrence: int = 1) -> str:
    """The key of a row's planned work: kind + normalised `Adresai` (+ `#n` for a repeat)."""
    digest = hashlib.sha256(normalise_wording(row.addresses).casefold().encode()).hexdigest()[:24]
    return f"{row.kind.value}:{digest}" + (f"#{occurrence}" if occurrence > 1 else "")


def resolve_schedule_rows(rows: list[ScheduleRow]) -> tuple[list[ResolvedScheduleRow], list[RowProblem]]:
    """Each row's address codes, or the problem that stops it (unknown street, missing house, …)."""
    index = address_index()
    streets: dict[str, StreetMatch] = {}
    resolved, problems = [], []
    seen: dict[tuple, int] = {}
    occurrences: Counter = Counter()
    for row in rows:
        identity = (normalise_wording(row.addresses).casefold(), row.kind, row.first_day, row.last_day)
        if identity in seen:
            problems.append(RowProblem(row.line, row.addresses, _("Kartoja eilutę %(line)d", line=seen[identity])))
            continue
        seen[identity] = row.line
        key_base = (identity[0], row.kind)
        occurrences[key_base] += 1
        key = source_key(row, occurrences[key_base])
        try:
            codes = _codes(index, streets, row)
        except _Unresolved as exc:
            problems.append(RowProblem(row.line, row.addresses, exc.message, exc.suggestions, key))
            continue
        resolved.append(ResolvedScheduleRow(row, codes, key))
    return resolved, problems


class _Unresolved(Exception):
    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.message, self.suggestions = message, suggestions


def _codes(index: AddressIndex, streets: dict[str, StreetMatch], row: ScheduleRow) -> tuple[str, ...]:
    """The codes of every house the row's `Adresai` names, in order, once each; raises _Unresolved."""
    try:
        parts = parse_addresses(row.addresses)
    except WordingError as exc:
        raise _Unresolved(str(exc)) from None
    codes: dict[str, None] = {}
    for part in parts:
        if part.street not in streets:
            streets[part.street] = index.match_street(part.street)
        street = _certain_street(part, streets[part.street])
        codes.update(dict.fromkeys(h.code for h in _houses(index.houses(street.code), part.selector, street)))
    return tuple(codes)


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


def _houses(houses: list[AddressRecord], selector: HouseSelector, street: StreetRecord) -> list[AddressRecord]:
    """The street's houses the selector covers; every listed number and range must name a real house."""
    if not selector.whole_street:
        present = {HouseNumber.parse(h.number) for h in houses}
        for number in selector.numbers:
            if number not in present:
                raise _Unresolved(
                    _("%(street)s Nr. %(number)s nerastas", street=street.label, number=number),
                    tuple(h.label for h in _nearby(houses, number)),
                )
        for house_range in selector.ranges:
            if not any(house_range.covers(n) for n in present if n is not None):
                raise _Unresolved(
                    _("%(street)s: intervale %(range)s nėra nė vieno namo", street=street.label, range=str(house_range))
                )
    chosen = [h for h in houses if selector.covers(h.number)]
    if not chosen:
        raise _Unresolved(_("%(street)s: registre nėra namų", street=street.label))
    return chosen


def _nearby(houses: list[AddressRecord], number: HouseNumber, limit: int = 3) -> list[AddressRecord]:
    scored = []
    for house in houses:
        parsed = HouseNumber.parse(house.number)
        if parsed is not None:
            scored.append((abs(parsed.number - number.number), parsed, house))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [house for _distance, _parsed, house in scored[:limit]]
