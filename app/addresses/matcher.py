"""Free text → one building of the register. Pure Python: no Flask, no database.

Interface (stable; the real ranking is filled in behind it):
    index = AddressIndex(streets=[StreetRecord…], addresses=[AddressRecord…])
    index.match("zirmunu 12a-5")  -> MatchResult(status="found", address=…, …)
    index.match_street("P. Alšėniškio g.") -> StreetMatch(status="found"|"ambiguous"|"not_found", …)
    index.houses(street_code) -> [AddressRecord…] in house-number order
    index.suggest("zirm", limit=8) -> [labels]
"""

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.addresses.normalise import ParsedQuery, name_tokens, parse_query

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
    nearby: tuple[AddressRecord, ...] = ()  # street_only: the buildings with the closest house numbers
    flat: str = ""  # the flat the resident typed, if any ("12-5" → "5")
    house: str = ""  # the house as typed, in register form ("12A", "12 K2"); "" when none was typed

    @property
    def nearby_numbers(self) -> tuple[str, ...]:
        """The closest house numbers that exist, as written on a plate: "12A", "12 K2"."""
        return tuple(f"{a.number} K{a.block}" if a.block else a.number for a in self.nearby)


@dataclass(frozen=True, slots=True)
class StreetMatch:
    status: Literal["found", "ambiguous", "not_found"]
    street: StreetRecord | None = None
    candidates: tuple[Candidate, ...] = field(default=())
    doubtful: bool = False  # candidates match only if what was written was partly wrong (initials)
    written_type: str = ""  # the type word written with the name ("al."), "" when none or a generic one

    @property
    def type_contradicted(self) -> bool:
        """The street found has another type than the one written (`Liepų g.` found as `Liepų al.`)."""
        return bool(self.written_type and self.street and self.street.type_abbr != self.written_type)


# How much each way of naming a street counts when it matches exactly.
FULL, INITIALS, SURNAME = 1.0, 0.97, 0.9
EDIT_PENALTY = 0.05  # each typo lowers a hit's weight
TIE_MARGIN = 0.02  # a rival this close to the best street makes the answer a question
MAX_CANDIDATES = 5
NEARBY_NUMBERS = 6


def allowed_edits(letters: int) -> int:
    """Typos tolerated in a name of this many letters: none in 1–3, one in 4–8, two from 9 (calibrated)."""
    if letters <= 3:
        return 0
    if letters <= 8:
        return 1
    return 2


def house_sort_key(number: str, block: str = "") -> tuple[int, str, int]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 0, number[digits.end() if digits else 0 :], int(block or 0))


def street_forms(tokens: list[str]) -> dict[str, float]:
    """The ways a street name can be written, each with its weight: full, initials, surname only."""
    forms = {" ".join(tokens): FULL}
    if len(tokens) >= 2 and tokens[-1].isalpha() and all(t.isalpha() for t in tokens[:-1]):
        forms.setdefault(" ".join([t[0] for t in tokens[:-1]] + [tokens[-1]]), INITIALS)
        if len(tokens[-1]) >= 4:
            forms.setdefault(tokens[-1], SURNAME)
    return forms


@dataclass(slots=True)
class _Hit:
    street: StreetRecord
    weight: float  # how the form matched (FULL / INITIALS / SURNAME), times edit penalty
    edits: int


class AddressIndex:
    """In-memory index of streets (by every written form) and their houses."""

    def __init__(self, streets: list[StreetRecord], addresses: list[AddressRecord]):
        self._streets = {s.code: s for s in streets}
        self._forms: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for street in streets:
            for form, weight in street_forms(name_tokens(street.name)).items():
                self._forms[form].append((street.code, weight))
        self._initials = {s.code: _initials(name_tokens(s.name)) for s in streets}
        self._forms_by_length: dict[int, list[str]] = defaultdict(list)
        self._forms_by_first_letter: dict[tuple[str, int], list[str]] = defaultdict(list)
        for form in self._forms:
            self._forms_by_length[len(form)].append(form)
            self._forms_by_first_letter[form[:1], len(form)].append(form)
        self._houses: dict[str, dict[tuple[str, str], AddressRecord]] = defaultdict(dict)
        self._by_code: dict[str, AddressRecord] = {}
        for address in addresses:
            self._houses[address.street_code][(address.number.upper(), address.block)] = address
            self._by_code[address.code] = address
        self._ordered: dict[str, list[AddressRecord]] = {
            code: sorted(houses.values(), key=lambda a: house_sort_key(a.number, a.block))
            for code, houses in self._houses.items()
        }
        # House numbers without letters, for "same number, other letter" and "nearby numbers".
        self._by_number: dict[str, dict[int, list[AddressRecord]]] = defaultdict(lambda: defaultdict(list))
        for code, ordered in self._ordered.items():
            for a in ordered:
                self._by_number[code][house_sort_key(a.number)[0]].append(a)
        self._numbers = {code: sorted(by) for code, by in self._by_number.items()}
        # Every written form (full, initials, surname) of streets that have houses, for autocomplete.
        self._prefixes = sorted(
            (form, code) for form, entries in self._forms.items() for code, _ in entries if self._houses.get(code)
        )

    # --- public interface -------------------------------------------------------------------

    def address(self, code: str) -> AddressRecord | None:
        return self._by_code.get(code)

    def street(self, code: str) -> StreetRecord | None:
        return self._streets.get(code)

    def houses(self, street_code: str) -> list[AddressRecord]:
        return list(self._ordered.get(street_code, ()))

    def match_street(self, text: str) -> StreetMatch:
        """A street name alone (schedule rows): found only when certain."""
        parsed = parse_query(text)
        tokens = list(parsed.street_tokens)
        if parsed.number and not parsed.flat:
            tokens.append(parsed.number)  # "Sausio 13-osios" with the suffix lost
        return replace(self._resolve_street(tokens, parsed.type_abbr), written_type=parsed.type_abbr)

    def match(self, text: str) -> MatchResult:
        parsed = parse_query(text)
        if not parsed.street_tokens:
            return MatchResult(query=text, status="not_found", flat=parsed.flat)
        found = self._resolve_street(list(parsed.street_tokens), parsed.type_abbr)
        if found.status == "not_found":
            return MatchResult(query=text, status="not_found", candidates=found.candidates, flat=parsed.flat)
        if found.status == "ambiguous":
            return self._ambiguous_street(text, parsed, found)
        return self._match_house(text, parsed, found.street)

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Labels for autocomplete: streets starting with what was typed, then houses once a number is typed."""
        parsed = parse_query(text)
        prefix = " ".join(parsed.street_tokens)
        if not prefix:
            return []
        if parsed.number:
            found = self._resolve_street(list(parsed.street_tokens), parsed.type_abbr)
            if found.status != "found":
                return []
            wanted = parsed.number + parsed.letter.upper()
            return [a.label for a in self._ordered.get(found.street.code, ()) if a.number.startswith(wanted)][:limit]
        start = bisect_left(self._prefixes, (prefix, ""))
        labels: list[str] = []
        for form, code in self._prefixes[start:]:
            if not form.startswith(prefix) or len(labels) >= limit:
                break
            if self._streets[code].label not in labels:
                labels.append(self._streets[code].label)
        return labels

    # --- streets ----------------------------------------------------------------------------

    def _resolve_street(self, tokens: list[str], type_abbr: str) -> StreetMatch:
        hits, doubtful = self._street_hits(tokens)
        if type_abbr:
            typed = [h for h in hits if h.street.type_abbr == type_abbr]
            hits = typed or hits
        if not hits and doubtful:
            doubtful.sort(key=lambda h: (-h.weight, h.edits, h.street.name))
            candidates = tuple(Candidate(h.street.code, h.street.label, round(h.weight, 3)) for h in doubtful)
            return StreetMatch(status="ambiguous", candidates=candidates[:MAX_CANDIDATES], doubtful=True)
        if not hits:
            return StreetMatch(status="not_found", candidates=self._loose_candidates(tokens))
        hits.sort(key=lambda h: (-h.weight, h.edits, h.street.name))
        best = hits[0]
        rivals = [h for h in hits[1:] if h.street.code != best.street.code]
        if rivals and rivals[0].weight >= best.weight - TIE_MARGIN and rivals[0].edits <= best.edits:
            seen, candidates = set(), []
            for h in hits:
                if h.street.code not in seen and len(candidates) < MAX_CANDIDATES:
                    seen.add(h.street.code)
                    candidates.append(Candidate(h.street.code, h.street.label, round(h.weight, 3)))
            return StreetMatch(status="ambiguous", candidates=tuple(candidates))
        return StreetMatch(
            status="found",
            street=best.street,
            candidates=(Candidate(best.street.code, best.street.label, round(best.weight, 3)),),
        )

    def _street_hits(self, tokens: list[str]) -> tuple[list[_Hit], list[_Hit]]:
        """Streets whose written forms are within the tolerated typos of one of the query's forms,
        and (second) streets that match only if the initials written were wrong: worth a question."""
        best: dict[str, _Hit] = {}
        doubtful: dict[str, _Hit] = {}
        query_initials = _initials(tokens)
        top = 0.0
        for query_form, query_weight in street_forms(tokens).items():
            letters = sum(len(t) for t in query_form.split() if len(t) > 1)
            max_edits = allowed_edits(letters)
            exact = self._forms.get(query_form)
            if exact:
                matches = [(query_form, 0)]
            elif max_edits and query_weight - EDIT_PENALTY > top - TIE_MARGIN:
                # Only searched when a typo'd hit of this form could still equal the best hit so far.
                matches = [
                    (form, int(dist))
                    for form, dist, _ in process.extract(
                        query_form,
                        self._forms_near_length(len(query_form), max_edits),
                        scorer=OSA.distance,
                        score_cutoff=max_edits,
                        limit=20,
                    )
                ]
            else:
                matches = []
            for form, edits in matches:
                for code, form_weight in self._forms[form]:
                    weight = min(query_weight, form_weight) - EDIT_PENALTY * edits
                    # "Z. Alšėniškio" is not "Povilo Alšėniškio", even by surname: ask, never answer.
                    pool = best if _initials_agree(query_initials, self._initials[code]) else doubtful
                    hit = pool.get(code)
                    if hit is None or (weight, -edits) > (hit.weight, -hit.edits):
                        pool[code] = _Hit(self._streets[code], weight, edits)
                    if pool is best:
                        top = max(top, weight)
        return list(best.values()), [h for code, h in doubtful.items() if code not in best]

    def _forms_near_length(self, length: int, edits: int) -> list[str]:
        """Only forms whose length is within `edits` can be within `edits` edits."""
        forms: list[str] = []
        for n in range(length - edits, length + edits + 1):
            forms.extend(self._forms_by_length.get(n, ()))
        return forms

    def _loose_candidates(self, tokens: list[str]) -> tuple[Candidate, ...]:
        """Near misses beyond the typo tolerance, offered as help on a not-found answer."""
        query = " ".join(tokens)
        # Only help, so kept cheap: forms with the same first letter.
        nearby = [
            f
            for n in range(len(query) - 3, len(query) + 4)
            for f in self._forms_by_first_letter.get((query[:1], n), ())
        ]
        found = process.extract(query, nearby, scorer=OSA.normalized_similarity, score_cutoff=0.6, limit=5)
        seen, out = set(), []
        for form, score, _ in found:
            for code, _weight in self._forms[form]:
                if code not in seen:
                    seen.add(code)
                    out.append(Candidate(code, self._streets[code].label, round(score, 3)))
        return tuple(out[:MAX_CANDIDATES])

    # --- houses -----------------------------------------------------------------------------

    def _match_house(self, text: str, parsed: ParsedQuery, street: StreetRecord) -> MatchResult:
        houses = self._houses.get(street.code, {})
        house = f"{parsed.house} K{parsed.block}" if parsed.block else parsed.house
        base = {"query": text, "street": street, "flat": parsed.flat, "house": house}
        if not parsed.number:
            return MatchResult(status="street_only", nearby=self._nearby(street.code, "1"), **base)
        exact = houses.get((parsed.house, parsed.block))
        if exact:
            return MatchResult(
                status="found", address=exact, candidates=(Candidate(exact.code, exact.label, 1.0),), **base
            )
        close = self._close_houses(street.code, parsed)
        if close:
            candidates = tuple(Candidate(a.code, a.label, 0.8) for a in close[:MAX_CANDIDATES])
            return MatchResult(status="ambiguous", candidates=candidates, **base)
        return MatchResult(status="street_only", nearby=self._nearby(street.code, parsed.number), **base)

    def _close_houses(self, street_code: str, parsed: ParsedQuery) -> list[AddressRecord]:
        """Same number with another letter or block: `12` when only 12A and 12B exist."""
        same_number = self._by_number.get(street_code, {}).get(int(parsed.number), ())
        return [a for a in same_number if a.number != parsed.house or a.block != parsed.block]

    def _nearby(self, street_code: str, number: str) -> tuple[AddressRecord, ...]:
        """The buildings whose house numbers are closest to the one asked for, in house order."""
        numbers = self._numbers.get(street_code, [])
        target = int(number) if number.isdigit() else 0
        at = bisect_left(numbers, target)
        # The closest buildings lie among the numbers just below and above the target.
        around = [
            a
            for n in numbers[max(0, at - NEARBY_NUMBERS) : at + NEARBY_NUMBERS]
            for a in self._by_number[street_code][n]
        ]
        around.sort(key=lambda a: (abs(house_sort_key(a.number)[0] - target), house_sort_key(a.number, a.block)))
        return tuple(sorted(around[:NEARBY_NUMBERS], key=lambda a: house_sort_key(a.number, a.block)))

    def _ambiguous_street(self, text: str, parsed: ParsedQuery, found: StreetMatch) -> MatchResult:
        candidates = []
        for c in found.candidates:
            address = self._houses.get(c.code, {}).get((parsed.house, parsed.block)) if parsed.number else None
            if address:
                candidates.append(Candidate(address.code, address.label, c.score))
        if len(candidates) == 1 and parsed.number and not found.doubtful:
            # Of the streets the name could be, only one has this house: that is the building.
            address = self._by_code[candidates[0].code]
            return MatchResult(
                query=text, status="found", address=address, street=self._streets[address.street_code],
                candidates=tuple(candidates), flat=parsed.flat,
            )  # fmt: skip
        if not candidates:
            candidates = list(found.candidates)
        return MatchResult(
            query=text, status="ambiguous", candidates=tuple(candidates[:MAX_CANDIDATES]), flat=parsed.flat
        )


def _initials(tokens: list[str]) -> str:
    """First letters of the words before the surname: `Povilo Alšėniškio` → "p", `M. K. Čiurlionio` → "mk"."""
    if len(tokens) < 2 or not all(t.isalpha() for t in tokens):
        return ""
    return "".join(t[0] for t in tokens[:-1])


def _initials_agree(query: str, street: str) -> bool:
    """Both name initials (or first names) → they must be the same letters; either side without → fine."""
    return not query or not street or query == street
