"""Free text → one building of the register. Pure Python: no Flask, no database.

    index = AddressIndex(streets=[StreetRecord…], addresses=[AddressRecord…], aliases=[StreetAlias…], places=[Place…])
    index.match("zirmunu 12a-5")  -> MatchResult(status="found", address=…, …)
    index.match_street("P. Alšėniškio g.") -> StreetMatch(status="found"|"ambiguous"|"not_found", …)
    index.houses(street_code) -> [AddressRecord…] in house-number order
    index.suggest("zirm", limit=8) -> [labels]

Every street is indexed under each way its name is written: the full name, the plate form with initials
(`P. Alšėniškio`), the surname alone, and its aliases (other languages, former names). A query is looked up
the same ways, exactly and then within the typos its length tolerates. A wrong confident answer is worse
than a question, so whenever the evidence is partial (wrong initials, words that are not in the name, two
typos, a number that may belong to the name, a street named in part or with a typo that lacks the house, a
street that lacks it while one a typo away has it) the answer is a question with the candidates.
"""

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.addresses.normalise import (
    AMBIGUOUS_TYPE_TOKENS,
    MUNICIPALITY_RE,
    TYPE_WORDS,
    ParsedQuery,
    clean,
    fold,
    name_tokens,
    parse_query,
    street_tokens,
    words,
)

# found: one building, confidently · ambiguous: a question with up to 5 candidates · street_only: the street,
# without the house (none typed, or not in the register) · not_found · outside_area: another city or municipality.
Status = Literal["found", "ambiguous", "street_only", "not_found", "outside_area"]


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
    code: str  # an address code, or a street code when kind is "street"
    label: str
    score: float
    kind: Literal["address", "street"] = "address"


@dataclass(frozen=True, slots=True)
class StreetAlias:
    """Another name of a street: in another language or a former one (data/street_aliases.csv)."""

    alias: str  # as written: "Zamkowa", "Гедиминаса", "Lenino"
    street: str  # the official name with its type abbreviation: "Pilies g."
    language: str = ""  # "pl", "ru", "lt"


@dataclass(frozen=True, slots=True)
class Place:
    """A city, town or municipality other than Vilnius city (data/lithuanian_places.csv)."""

    name: str  # official Lithuanian name: "Kaunas", "Vilniaus r. sav."
    written: str  # one way it is written: "Kowno", "Каунас", "Kauno r."


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
    place: str = ""  # outside_area: the other city or municipality named ("Kaunas")
    doubtful: bool = False  # ambiguous: even a single candidate needs the resident's word (two typos, initials)

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
    two_typos: bool = False  # candidates found only within two typos: a house may decide, nothing else
    edits: int = 0  # typos in the found street's name
    by_surname: bool = False  # found by the last word of its name alone

    @property
    def type_contradicted(self) -> bool:
        """The street found has another type than the one written (`Liepų g.` found as `Liepų al.`)."""
        return bool(self.written_type and self.street and self.street.type_abbr != self.written_type)


# How much each way of naming a street counts when it matches exactly; an alias counts a little less, so
# a street's own name beats another street's alias.
FULL, INITIALS, SURNAME = 1.0, 0.97, 0.9
ALIAS = 0.96
# Names this long (letters) or longer, one typo tolerated, are searched again within two when nothing fits.
TWO_TYPOS_MIN_LETTERS = 6
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


@dataclass(frozen=True, slots=True)
class _Form:
    code: str
    weight: float
    partial: bool  # the form leaves out words of the name (the surname alone)
    given: tuple[str, ...]  # the name's words before the surname, to check the query's against


@dataclass(slots=True)
class _Hit:
    street: StreetRecord
    weight: float  # how the form matched (FULL / INITIALS / SURNAME / ALIAS), times edit penalty
    edits: int
    partial: bool = False


class AddressIndex:
    """In-memory index of streets (by every written form) and their houses."""

    def __init__(
        self,
        streets: list[StreetRecord],
        addresses: list[AddressRecord],
        aliases: Iterable[StreetAlias] = (),
        places: Iterable[Place] = (),
    ):
        self._streets = {s.code: s for s in streets}
        self._forms: dict[str, list[_Form]] = defaultdict(list)
        self._reordered: dict[str, list[str]] = defaultdict(list)
        self._numbered_starts: set[str] = set()
        for street in streets:
            self._add_name(street.code, name_tokens(street.name), official=True)
        by_label = {_label_key(s.label): s.code for s in streets}
        self.unresolved_aliases: list[StreetAlias] = []
        for alias in aliases:
            code = by_label.get(_label_key(alias.street))
            if code is None:
                self.unresolved_aliases.append(alias)
            else:
                self._add_name(code, street_tokens(fold(alias.alias))[0], official=False)
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
        # Every written form (full, initials, surname, alias) of every street, for autocomplete.
        self._prefixes = sorted({(form, entry.code) for form, entries in self._forms.items() for entry in entries})
        self._places, self._places_near_streets = self._place_keys(places)
        self._labels = label_keys(addresses)

    def _add_name(self, code: str, tokens: list[str], official: bool) -> None:
        """Index one name of a street (its official name or an alias) under every way it is written."""
        if not tokens:
            return
        given = _given_words(tokens)
        for form, weight in street_forms(tokens).items():
            partial = len(form.split()) < len(tokens)  # the surname alone
            self._forms[form].append(_Form(code, weight if official else weight * ALIAS, partial, given))
        if len(tokens) >= 2:
            self._reordered[" ".join(sorted(tokens))].append(code)
        if any(t.isdigit() for t in tokens):
            self._numbered_starts.add(tokens[0][:3])

    def _place_keys(self, places: Iterable[Place]) -> tuple[dict[str, str], dict[str, str]]:
        """Written place names (folded) → official name: those that are no street's word, and (second) those
        one typo from a street's word (`Ukmergė` / `Ukmergės g.`), trusted only as a part of their own."""
        street_words = {w for form in self._forms for w in form.split() if len(w) > 1}
        keys: dict[str, str] = {}
        near_streets: dict[str, str] = {}
        for place in places:
            key = place_key(place.written)
            if not key or key in self._forms or key in street_words:
                continue
            pool = near_streets if " " not in key and _near_any(key, street_words) else keys
            pool.setdefault(key, place.name)
        return keys, near_streets

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
        found = self._resolve_street(tokens, parsed.type_abbr)
        return replace(found, candidates=found.candidates[:MAX_CANDIDATES], written_type=parsed.type_abbr)

    def match(self, text: str) -> MatchResult:
        """What a resident typed → one of the five answers (see Status)."""
        labelled = self._exactly_labelled(text)
        if labelled is not None:
            return labelled
        parsed = parse_query(text)
        place = self.outside_place(parsed)
        if place:
            return MatchResult(query=text, status="outside_area", place=place, flat=parsed.flat)
        first = self._match_parsed(text, parsed)
        if parsed.corner is None or first.status == "found":
            return first
        # A corner building: the second address names the same building when the first does not exist.
        second = self._match_parsed(text, parsed.corner)
        return second if second.status == "found" else first

    def outside_place(self, parsed: ParsedQuery) -> str:
        """The official name of another city, town or municipality the query names, or ""."""
        if not self._places and not self._places_near_streets:
            return ""
        for municipality in MUNICIPALITY_RE.finditer(parsed.cleaned):
            place = self._places.get(_municipality_key(municipality))
            if place:
                return place
        text_words = words(parsed.cleaned)
        for size in (2, 1):
            for i in range(len(text_words) - size + 1):
                place = self._places.get(" ".join(text_words[i : i + size]))
                if place:
                    return place
        # `Ukmergė, Vilniaus g. 5` names a town; `Ukmergė 5` may be Ukmergės g. with a typo.
        for part in parsed.cleaned.split(","):
            place = self._places_near_streets.get(" ".join(words(part)))
            if place and "," in parsed.cleaned:
                return place
        return ""

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Labels for autocomplete: streets starting with what was typed; once a number is typed, the houses
        of those streets starting with it, and streets whose name goes on with that number (`Sausio 13`)."""
        parsed = parse_query(text)
        prefix = parsed.street_text
        if not prefix:
            return []
        if not parsed.number:
            return [self._streets[code].label for code in self._streets_starting(prefix, limit)]
        labels = [self._streets[c].label for c in self._streets_starting(f"{prefix} {parsed.number}", limit)]
        streets = [c for c in self._streets_starting(prefix, limit) if not _has_digits(self._streets[c].name)]
        if not streets:
            found = self._resolve_street(list(parsed.street_tokens), parsed.type_abbr)
            streets = [found.street.code] if found.status == "found" and found.street else []
        wanted = parsed.house
        for code in streets:
            houses = self._ordered.get(code, ())
            exact = [a for a in houses if a.number == wanted]
            more = (
                [a for a in houses if a.number.startswith(wanted) and a.number != wanted] if len(streets) == 1 else []
            )
            labels.extend(a.label for a in exact + more)
        return list(dict.fromkeys(labels))[:limit]

    def _streets_starting(self, prefix: str, limit: int) -> list[str]:
        """Codes of streets (with houses) one of whose written forms starts with `prefix`, in form order."""
        start = bisect_left(self._prefixes, (prefix, ""))
        codes: list[str] = []
        for form, code in self._prefixes[start:]:
            if not form.startswith(prefix) or len(codes) >= limit:
                break
            if code not in codes and self._houses.get(code):
                codes.append(code)
        return codes

    # --- fast path: an address written exactly as the register labels it ----------------------

    def _exactly_labelled(self, text: str) -> MatchResult | None:
        """The answer to a building's own label (`Žirmūnų g. 12A`, any case and spacing), which the
        autocomplete offers, straight from a dict; None for any other text (the full match answers it).

        The answer is the one the full match gives for the label (a label names its building exactly);
        tests/addresses/test_matcher_fast_path.py compares the two for every kind of label.
        """
        address = self._labels.get(label_key(text))
        if address is None:
            return None
        house = f"{address.number} K{address.block}" if address.block else address.number
        return MatchResult(
            query=text,
            status="found",
            address=address,
            street=self._streets[address.street_code],
            candidates=(Candidate(address.code, address.label, 1.0),),
            house=house,
        )

    # --- one address ------------------------------------------------------------------------

    def _match_parsed(self, text: str, parsed: ParsedQuery) -> MatchResult:
        if not parsed.street_tokens:
            return MatchResult(query=text, status="not_found", flat=parsed.flat)
        found = self._resolve_street(list(parsed.street_tokens), parsed.type_abbr)
        numbered = self._numbered_reading(parsed)
        if numbered is not None and numbered.street is not None and numbered.street != found.street:
            chosen = self._with_numbered_street(text, parsed, found, numbered)
            if chosen is not None:
                return chosen
        if found.status == "not_found":
            return MatchResult(query=text, status="not_found", candidates=found.candidates, flat=parsed.flat)
        if found.status == "ambiguous":
            return self._ambiguous_street(text, parsed, found)
        return self._match_house(text, parsed, found)

    def _numbered_reading(self, parsed: ParsedQuery) -> StreetMatch | None:
        """`Sausio 13`, `Kalvarijų Sodų 3`: the number read as the end of a street's name, when one is so named."""
        if not parsed.number or parsed.letter or parsed.block or len(parsed.number) > 2:
            return None
        if parsed.street_tokens[0][:3] not in self._numbered_starts:
            return None
        found = self._resolve_tokens([*parsed.street_tokens, parsed.number], parsed.type_abbr)
        if found.status != "found" or found.street is None or not _has_digits(found.street.name):
            return None
        return found

    def _with_numbered_street(
        self, text: str, parsed: ParsedQuery, found: StreetMatch, numbered: StreetMatch
    ) -> MatchResult | None:
        """Both readings of the number: as a house, and as part of a street's name. None: the house reading."""
        street_part = MatchResult(
            query=text, status="street_only", street=numbered.street, nearby=self._nearby(numbered.street.code, "1")
        )
        if found.status == "found" and found.street is not None:
            house = self._houses.get(found.street.code, {}).get((parsed.house, parsed.block))
            if house is None or found.edits > numbered.edits:
                return street_part
            if found.edits < numbered.edits:
                return None
            # Both read exactly: `Kalvarijų Sodų g. 3` and `Kalvarijų Sodų 3-oji g.` — ask.
            candidates = (Candidate(house.code, house.label, 1.0), _street_candidate(numbered.street, 1.0))
            return MatchResult(query=text, status="ambiguous", candidates=candidates, flat=parsed.flat)
        if found.status == "ambiguous":
            asked = self._ambiguous_street(text, parsed, found)
            if found.doubtful and all(c.kind == "street" for c in asked.candidates):
                return street_part  # only partly fitting names, none with the house: the numbered street
            candidates = (_street_candidate(numbered.street, 1.0), *asked.candidates)[:MAX_CANDIDATES]
            # The number may be the house or the end of a name: no house is added to a street asked about.
            return replace(
                asked, status="ambiguous", address=None, street=None, candidates=candidates, doubtful=False, house=""
            )
        return street_part

    # --- streets ----------------------------------------------------------------------------

    def _resolve_street(self, tokens: list[str], type_abbr: str) -> StreetMatch:
        """The street the words name; tries `g. P. Vileišio` (type word first) when the words as initials fail."""
        found = self._resolve_tokens(tokens, type_abbr)
        if found.status != "found" and len(tokens) > 1 and tokens[0] in AMBIGUOUS_TYPE_TOKENS:
            leading = TYPE_WORDS[tokens[0]]
            retry = self._resolve_tokens(tokens[1:], type_abbr or leading)
            if retry.status == "found" and retry.street and not _leading_type_fits(leading, type_abbr, retry.street):
                # `A. Didžioji` is no square (nor `a. Didžioji g.`): the letter is an initial that is not the name's.
                return replace(retry, status="ambiguous", street=None, doubtful=True)
            # `g. Kosciuškos` may be T. Kosciuškos g. or a G. Kosciuškos: only a whole name read so is an answer.
            if (retry.status == "found" and not retry.by_surname) or (
                retry.status == "ambiguous" and not retry.doubtful
            ):
                return retry
        return found

    def _resolve_tokens(self, tokens: list[str], type_abbr: str) -> StreetMatch:
        hits, doubtful = self._street_hits(tokens)
        if type_abbr:
            hits = [h for h in hits if h.street.type_abbr == type_abbr] or hits
            doubtful = [h for h in doubtful if h.street.type_abbr == type_abbr] or doubtful
        if not hits and not doubtful:
            near = self._two_typo_hits(tokens, type_abbr)
            if near:
                return StreetMatch(status="ambiguous", candidates=_street_candidates(near), two_typos=True)
        if not hits and doubtful:
            return StreetMatch(status="ambiguous", candidates=_street_candidates(doubtful), doubtful=True)
        if not hits:
            return StreetMatch(status="not_found", candidates=self._loose_candidates(tokens))
        hits.sort(key=_hit_order)
        best = hits[0]
        if best.edits:
            asked = self._typo_question(tokens, type_abbr, hits, doubtful)
            if asked is not None:
                return asked
        rivals = [h for h in hits[1:] if h.street.code != best.street.code]
        if rivals and rivals[0].weight >= best.weight - TIE_MARGIN and rivals[0].edits <= best.edits:
            return StreetMatch(status="ambiguous", candidates=_street_candidates(hits))
        return StreetMatch(
            status="found",
            street=best.street,
            candidates=(_street_candidate(best.street, best.weight),),
            edits=best.edits,
            by_surname=best.partial,
        )

    def _typo_question(
        self, tokens: list[str], type_abbr: str, hits: list[_Hit], doubtful: list[_Hit]
    ) -> StreetMatch | None:
        """The question to ask when the best street (`hits[0]`) fits only with typos and another reading of
        the name is as good; None when there is none."""
        best = hits[0]
        rivals_but_for_given = [h for h in doubtful if h.edits == 0 or h.weight >= best.weight - TIE_MARGIN]
        if rivals_but_for_given:
            # `Jono Mickevičiaus`: A. Mickevičiaus but for the initial, J. Tiškevičiaus with two typos. Neither
            # fits what was written, so the house alone cannot decide: the resident does.
            return StreetMatch(
                status="ambiguous", candidates=_street_candidates([best, *rivals_but_for_given]), doubtful=True
            )
        read_exactly = [h for h in hits if h.edits == 0]
        if read_exactly:
            # Another street's name read exactly as written, if only a part of it (`Kapų`: Karių Kapų), and
            # this one whole with a typo (Kapsų): the house decides, or the resident does.
            return StreetMatch(status="ambiguous", candidates=_street_candidates([best, *read_exactly]))
        if _letters(" ".join(tokens)) >= TWO_TYPOS_MIN_LETTERS:
            # One typo from a street, two dropped letters from another (`Pavasio`: Pavėsio, Pavasario): the
            # house decides, or the resident does: among every street the name could be (`Liepno`: Liepto and
            # Liepyno one typo away, Liepsnos two dropped letters).
            typo_codes = {h.street.code for h in hits}
            near = [h for h in self._two_typo_hits(tokens, type_abbr) if h.street.code not in typo_codes]
            if near:
                return StreetMatch(status="ambiguous", candidates=_street_candidates([*hits, *near]), two_typos=True)
        return None

    def _street_hits(self, tokens: list[str]) -> tuple[list[_Hit], list[_Hit]]:
        """Streets whose written forms are within the tolerated typos of one of the query's forms,
        and (second) streets that match only if what was written was partly wrong: worth a question."""
        best: dict[str, _Hit] = {}
        doubtful: dict[str, _Hit] = {}
        top = 0.0
        for query_form, query_weight in street_forms(tokens).items():
            max_edits = allowed_edits(_letters(query_form))
            if query_form in self._forms:
                matches = [(query_form, 0)]
                if query_weight == FULL and max_edits and all(e.partial for e in self._forms[query_form]):
                    # All that was written is another street's last word alone (`Kapų`: Karių Kapų), and
                    # maybe a whole name with a letter dropped (Kapsų).
                    matches += [m for m in self._near_forms(query_form, max_edits) if m[0] != query_form]
            elif max_edits and query_weight - EDIT_PENALTY > top - TIE_MARGIN:
                # Only searched when a typo'd hit of this form could still equal the best hit so far.
                matches = self._near_forms(query_form, max_edits)
            else:
                matches = []
            for form, edits in matches:
                for entry in self._forms[form]:
                    weight = min(query_weight, entry.weight) - EDIT_PENALTY * edits
                    # "Z. Alšėniškio" is not "Povilo Alšėniškio", nor "Kalvarijų Sodų" "Kairėnės Sodų": ask.
                    pool = best if _given_agree(tokens, entry.given) else doubtful
                    _keep(pool, _Hit(self._streets[entry.code], weight, edits, entry.partial))
                    if pool is best:
                        top = max(top, weight)
        if not best and len(tokens) >= 2:
            # The words of a name in another order: `Vileišio P.`, `Sodų Kairėnės`.
            for code in self._reordered.get(" ".join(sorted(tokens)), ()):
                _keep(best, _Hit(self._streets[code], FULL - EDIT_PENALTY, 1, False))
        return list(best.values()), [h for code, h in doubtful.items() if code not in best]

    def _two_typo_hits(self, tokens: list[str], type_abbr: str) -> list[_Hit]:
        """Streets two dropped letters away from a short or middle-length name (`Svanrių` → Savanorių,
        `Antklnio` → Antakalnio): only ever a question, or an answer when exactly one of them has the house
        (decided by the caller). Other pairs of typos (`Pakapaės` for Pakalnės) too often make another name."""
        hits: dict[str, _Hit] = {}
        for query_form, query_weight in street_forms(tokens).items():
            if _letters(query_form) < TWO_TYPOS_MIN_LETTERS or allowed_edits(_letters(query_form)) >= 2:
                continue
            for form, edits in self._near_forms(query_form, 2):
                if len(form) != len(query_form) + 2 or not _is_subsequence(query_form, form):
                    continue
                for entry in self._forms[form]:
                    if _given_agree(tokens, entry.given):
                        weight = min(query_weight, entry.weight) - EDIT_PENALTY * edits
                        _keep(hits, _Hit(self._streets[entry.code], weight, edits, entry.partial))
        found = list(hits.values())
        if type_abbr:
            found = [h for h in found if h.street.type_abbr == type_abbr] or found
        return found

    def _near_forms(self, query_form: str, max_edits: int) -> list[tuple[str, int]]:
        """Index forms within `max_edits` typos; a typo never adds, drops or changes a number (`Sodų 1-oji`)."""
        digits = _digits(query_form)
        return [
            (form, int(dist))
            for form, dist, _ in process.extract(
                query_form,
                self._forms_near_length(len(query_form), max_edits),
                scorer=OSA.distance,
                score_cutoff=max_edits,
                limit=20,
            )
            if _digits(form) == digits
        ]

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
            for entry in self._forms[form]:
                if entry.code not in seen:
                    seen.add(entry.code)
                    out.append(_street_candidate(self._streets[entry.code], round(score, 3)))
        return tuple(out[:MAX_CANDIDATES])

    # --- houses -----------------------------------------------------------------------------

    def _match_house(self, text: str, parsed: ParsedQuery, found: StreetMatch) -> MatchResult:
        street = found.street
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
            return MatchResult(status="ambiguous", candidates=candidates, doubtful=True, **base)
        elsewhere = self._house_on_near_streets(parsed, street.code, two_dropped=found.by_surname or found.edits > 0)
        if elsewhere or found.edits or found.by_surname:
            # `Šakų 10`: Sakų g. has no 10, Šarkų g. one letter away has; `Mirono 3`: Vlado Mirono g. by its
            # surname, without a 3, and Maironio g. 3 two letters away; `Kapavao g. 35`: a typo of a street
            # without a 35. Only the name, partly or with typos, says it is that street: ask.
            street_candidate = _street_candidate(street, found.candidates[0].score if found.candidates else 1.0)
            candidates = (*(Candidate(a.code, a.label, 0.8) for a in elsewhere[: MAX_CANDIDATES - 1]), street_candidate)
            return MatchResult(status="ambiguous", candidates=candidates, doubtful=True, **{**base, "street": None})
        return MatchResult(status="street_only", nearby=self._nearby(street.code, parsed.number), **base)

    def _house_on_near_streets(self, parsed: ParsedQuery, street_code: str, two_dropped: bool) -> list[AddressRecord]:
        """The house as typed on other streets within the typos the query's name tolerates, and with
        `two_dropped` (the street was named only partly or with typos) two dropped letters away (`Mirono` for
        Maironio), nearest first."""
        tokens = list(parsed.street_tokens)
        codes: list[str] = []
        for query_form in street_forms(tokens):
            max_edits = allowed_edits(_letters(query_form))
            if not max_edits:
                continue
            for form, _ in sorted(self._near_forms(query_form, max_edits), key=lambda m: m[1]):
                codes += [e.code for e in self._forms[form] if _given_agree(tokens, e.given)]
        if two_dropped:
            codes += [h.street.code for h in sorted(self._two_typo_hits(tokens, parsed.type_abbr), key=_hit_order)]
        houses = (self._houses.get(code, {}).get((parsed.house, parsed.block)) for code in dict.fromkeys(codes))
        return [house for house in houses if house and house.street_code != street_code]

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
                candidates=tuple(candidates), flat=parsed.flat, house=parsed.house,
            )  # fmt: skip
        if not candidates:
            candidates = list(found.candidates)
        return MatchResult(
            query=text,
            status="ambiguous",
            candidates=tuple(candidates[:MAX_CANDIDATES]),
            flat=parsed.flat,
            house=f"{parsed.house} K{parsed.block}" if parsed.block else parsed.house,
            doubtful=found.doubtful or found.two_typos,
        )


def label_key(text: str) -> str:
    """How a label is looked up on the fast path: case-folded, one space between words."""
    return " ".join(text.casefold().split())


def label_keys(addresses: Iterable[AddressRecord]) -> dict[str, AddressRecord]:
    """label_key(label) → the building, for the fast path; a key two buildings share is left out."""
    keys: dict[str, AddressRecord] = {}
    shared: set[str] = set()
    for address in addresses:
        key = label_key(address.label)
        if key in keys:
            shared.add(key)
        keys[key] = address
    for key in shared:
        del keys[key]
    return keys


def place_key(written: str) -> str:
    """How a place's name is looked up: folded words, a municipality as `kauno r` / `kauno m`."""
    text = clean(written)
    municipality = MUNICIPALITY_RE.search(text)
    return _municipality_key(municipality) if municipality else " ".join(words(text))


def _municipality_key(match: re.Match) -> str:
    kind = "r" if match.group(2) else "m" if match.group(3) else "sav"
    return f"{match.group(1)} {kind}"


def _keep(pool: dict[str, _Hit], hit: _Hit) -> None:
    """Keep each street's best hit."""
    old = pool.get(hit.street.code)
    if old is None or (hit.weight, -hit.edits) > (old.weight, -old.edits):
        pool[hit.street.code] = hit


def _hit_order(hit: _Hit) -> tuple:
    return (-hit.weight, hit.edits, hit.street.name)


def _street_candidate(street: StreetRecord, score: float) -> Candidate:
    return Candidate(street.code, street.label, round(score, 3), kind="street")


def _street_candidates(hits: list[_Hit]) -> tuple[Candidate, ...]:
    """One candidate per street, best first; all of them, so that the house decides among every street the
    name could be (the answer shows MAX_CANDIDATES)."""
    hits = sorted(hits, key=_hit_order)
    seen: dict[str, Candidate] = {}
    for h in hits:
        if h.street.code not in seen:
            seen[h.street.code] = _street_candidate(h.street, h.weight)
    return tuple(seen.values())


def _leading_type_fits(leading: str, written: str, street: StreetRecord) -> bool:
    """A letter before the name read as a type word (`g. P. Vileišio`) fits only a street of that type, and
    only when no other type word was written (`a. Didžioji g.`: the `a.` is an initial)."""
    if not leading:
        return True
    return street.type_abbr == leading and written in ("", leading)


def _label_key(label: str) -> str:
    """`Gedimino pr.` and `gedimino  pr` compare equal."""
    return " ".join(words(fold(label)))


def _letters(form: str) -> int:
    return sum(len(t) for t in form.split() if len(t) > 1)


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _is_subsequence(short: str, long: str) -> bool:
    """`svanriu` is `savanoriu` with letters dropped."""
    letters = iter(long)
    return all(c in letters for c in short)


def _has_digits(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _near_any(word: str, vocabulary: set[str]) -> bool:
    """The word is a vocabulary word, or (from 5 letters) one typo from one."""
    if word in vocabulary:
        return True
    if len(word) < 5:
        return False
    return process.extractOne(word, vocabulary, scorer=OSA.distance, score_cutoff=1) is not None


def _given_words(tokens: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The words before the surname (`Povilo Alšėniškio` → povilo; `M. K. Čiurlionio` → m, k); none when a
    word is a number (`Sausio 13-osios`)."""
    if len(tokens) < 2 or not all(t.isalpha() for t in tokens):
        return ()
    return tuple(tokens[:-1])


def _given_agree(query_tokens: list[str], street_given: tuple[str, ...]) -> bool:
    """The words written before the surname fit the name's: same initials, and a whole word written on both
    sides the same word (within typos). Words or initials written before a name that has none (`Kalvarijų
    Sodų` for `Sodų`, `T. Didžioji`) do not fit; none written always fits."""
    query_given = _given_words(query_tokens)
    if not query_given:
        return True
    if not street_given:
        return False
    if "".join(w[0] for w in query_given) != "".join(w[0] for w in street_given):
        return False
    return all(
        len(q) == 1 or len(s) == 1 or OSA.distance(q, s, score_cutoff=allowed_edits(len(s))) <= allowed_edits(len(s))
        for q, s in zip(query_given, street_given, strict=False)
    )
