"""The `Adresai` wording parser: pure, no app."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.shutoffs.schedule import HouseNumber, WordingError, parse_addresses

HOUSES = ["1", "2", "3", "4", "5", "6", "6A", "7", "8", "8A", "8B", "9", "10", "12", "15", "16", "16A", "17", "18"]


def covered(text: str, houses=HOUSES) -> dict[str, list[str]]:
    return {part.street: [h for h in houses if part.selector.covers(h)] for part in parse_addresses(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Žirmūnų g. 2, 4, 6A", {"Žirmūnų g.": ["2", "4", "6A"]}),
        ("Žirmūnų g. Nr. 2, Nr. 4, Nr. 6A", {"Žirmūnų g.": ["2", "4", "6A"]}),
        ("Žirmūnų g. 2 ir 4", {"Žirmūnų g.": ["2", "4"]}),
        ("Liepų al. 8–16", {"Liepų al.": ["8", "8A", "8B", "9", "10", "12", "15", "16"]}),
        ("Liepų al. 8-16", {"Liepų al.": ["8", "8A", "8B", "9", "10", "12", "15", "16"]}),
        ("Liepų al. 8 – 16", {"Liepų al.": ["8", "8A", "8B", "9", "10", "12", "15", "16"]}),
        ("Liepų al. 8 - 16", {"Liepų al.": ["8", "8A", "8B", "9", "10", "12", "15", "16"]}),
        ("Liepų al. 6A–8A", {"Liepų al.": ["6A", "7", "8", "8A"]}),
        ("Liepų al. 6–6A", {"Liepų al.": ["6", "6A"]}),
        ("Konduktorių g. 4–10 (poriniai)", {"Konduktorių g.": ["4", "6", "6A", "8", "8A", "8B", "10"]}),
        ("Konduktorių g. 3–9 (neporiniai)", {"Konduktorių g.": ["3", "5", "7", "9"]}),
        ("Lenktoji g. neporiniai numeriai nuo Nr. 5 iki Nr. 9", {"Lenktoji g.": ["5", "7", "9"]}),
        ("Lenktoji g. poriniai numeriai nuo Nr. 4 iki Nr. 8", {"Lenktoji g.": ["4", "6", "6A", "8"]}),
        ("Lenktoji g. nuo Nr. 15 iki Nr. 17", {"Lenktoji g.": ["15", "16", "16A", "17"]}),
        ("Studentų g. nuo Nr. 16A iki galo", {"Studentų g.": ["16A", "17", "18"]}),
        ("Studentų g. neporiniai numeriai nuo Nr. 9 iki galo", {"Studentų g.": ["9", "15", "17"]}),
        ("Gražinos g.", {"Gražinos g.": HOUSES}),
        ("Gražinos g. (visi)", {"Gražinos g.": HOUSES}),
        ("Jogailos g. neporiniai numeriai", {"Jogailos g.": ["1", "3", "5", "7", "9", "15", "17"]}),
        ("Olandų g. numeriai nuo Nr. 15 iki Nr. 17", {"Olandų g.": ["15", "16", "16A", "17"]}),
        (
            "Viršupio g. poriniai numeriai nuo Nr. 2 iki Nr. 4, numeriai nuo Nr. 16A iki galo",
            {"Viršupio g.": ["2", "4", "16A", "17", "18"]},
        ),
        ("M Dobužinskio g 5", {"M. Dobužinskio g.": ["5"]}),
        ("Sausio 13-osios g. 2, 10", {"Sausio 13-osios g.": ["2", "10"]}),
        ("Dariaus ir Girėno g. nuo Nr. 17 iki galo", {"Dariaus ir Girėno g.": ["17", "18"]}),
        ("J. Tumo-Vaižganto g. 1–3", {"J. Tumo-Vaižganto g.": ["1", "2", "3"]}),
        ("Žirmūnų g. 12a", {"Žirmūnų g.": []}),  # 12A is not among HOUSES: parsed, found by the importer's check
    ],
)
def test_every_wording_form_selects_the_right_houses(text, expected):
    assert covered(text) == expected


BUILDINGS = [("14", ""), ("14", "2"), ("6", ""), ("6", "1"), ("6A", "1")]


def covered_buildings(text: str) -> dict[str, list[str]]:
    """street → the buildings of BUILDINGS (number, block) it covers, written `14` / `14 K2`."""
    return {
        part.street: [f"{n} K{b}" if b else n for n, b in BUILDINGS if part.selector.covers(n, b)]
        for part in parse_addresses(text)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Žirmūnų g. 14 K2", ["14 K2"]),
        ("Žirmūnų g. 14 korp. 2", ["14 K2"]),
        ("Žirmūnų g. 14K2", ["14 K2"]),
        ("Žirmūnų g. 14 k. 2", ["14 K2"]),
        ("Žirmūnų g. Nr. 14 K 2", ["14 K2"]),
        ("Žirmūnų g. 6A K1", ["6A K1"]),
        ("Žirmūnų g. 14", ["14"]),  # a bare number is the building without a block
        ("Žirmūnų g. 14, 14 K2", ["14", "14 K2"]),
        ("Žirmūnų g. 6–14", ["14", "14 K2", "6", "6 K1", "6A K1"]),  # a range takes every block of its numbers
        ("Žirmūnų g. (visi)", ["14", "14 K2", "6", "6 K1", "6A K1"]),
    ],
)
def test_building_blocks_are_read_and_a_bare_number_is_the_building_without_one(text, expected):
    assert covered_buildings(text) == {"Žirmūnų g.": expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Liepų al. 2–10 (išskyrus 6)", ["2", "3", "4", "5", "6A", "7", "8", "8A", "8B", "9", "10"]),
        ("Liepų al. 2–10 (išskyrus 6, 8A ir 9)", ["2", "3", "4", "5", "6A", "7", "8", "8B", "10"]),
        ("Liepų al. 2-10 (poriniai, išskyrus 4)", ["2", "6", "6A", "8", "8A", "8B", "10"]),
        ("Liepų al. 1–9 (nepor., išskyrus 5)", ["1", "3", "7", "9"]),
        ("Liepų al. (visi, išskyrus 1, 2, 3, 4, 5, 6, 6A, 7, 8, 8A, 8B, 9, 10)", ["12", "15", "16", "16A", "17", "18"]),
        ("Liepų al. (išskyrus 1–17)", None),  # an exception names buildings, not a range
    ],
)
def test_exceptions_leave_houses_out_of_a_range_or_the_whole_street(text, expected):
    if expected is None:
        with pytest.raises(WordingError):
            parse_addresses(text)
        return
    assert covered(text) == {"Liepų al.": expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Konduktorių g. 4–10 (por.)", ["4", "6", "6A", "8", "8A", "8B", "10"]),
        ("Konduktorių g. 3–9 (nepor.)", ["3", "5", "7", "9"]),
        ("Konduktorių g. (nepor.)", ["1", "3", "5", "7", "9", "15", "17"]),
        ("Konduktorių g. nuo Nr. 4 iki Nr. 6 imtinai", ["4", "5", "6"]),
        ("Konduktorių g. nuo 4 iki 6 (imtinai)", ["4", "5", "6"]),
        ("Konduktorių g.: 2, 4, 6A", ["2", "4", "6A"]),
        ("Konduktorių g.: nuo Nr. 16A iki galo", ["16A", "17", "18"]),
    ],
)
def test_short_parity_inclusive_and_a_colon_after_the_street_are_read(text, expected):
    assert covered(text) == {"Konduktorių g.": expected}


def test_streets_are_separated_by_semicolons():
    assert covered("Žirmūnų g. 2; Liepų al. 3–5; Gražinos g.") == {
        "Žirmūnų g.": ["2"],
        "Liepų al.": ["3", "4", "5"],
        "Gražinos g.": HOUSES,
    }


def test_the_official_polling_district_form_carries_parity_and_lists_bare_streets_with_commas():
    result = covered(
        "A. Goštauto g. Nr. 17, neporiniai numeriai nuo Nr. 3 iki Nr. 5, poriniai numeriai nuo Nr. 8 iki Nr. 8, "
        "nuo Nr. 12 iki Nr. 16; A. Jakšto g., A. Smetonos g."
    )
    assert result == {
        "A. Goštauto g.": ["3", "5", "8", "12", "16", "17"],
        "A. Jakšto g.": HOUSES,
        "A. Smetonos g.": HOUSES,
    }


def test_a_part_without_a_street_continues_the_previous_street():
    result = covered(
        "Saltoniškių g. Nr. 2, neporiniai numeriai nuo Nr. 15 iki galo; poriniai numeriai nuo Nr. 4 iki Nr. 6"
    )
    assert result == {"Saltoniškių g.": ["2", "4", "6", "15", "17"]}


def test_range_boundaries_go_by_number_then_letter():
    (part,) = parse_addresses("Liepų al. 8–16")
    assert part.selector.covers("16")
    assert not part.selector.covers("16A")
    assert part.selector.covers("8")
    assert part.selector.covers("8A")
    assert HouseNumber(8) < HouseNumber(8, "A") < HouseNumber(9)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "tuščias"),
        ("Liepų al. 16–8", "Tuščias intervalas 16–8"),
        ("Liepų al. nuo Nr. 9 iki Nr. 3", "Tuščias intervalas 9–3"),
        ("Žirmūnų g. 2, 4 trys", "Nesuprantu „trys“ dalyje „4 trys“ (Žirmūnų g.)"),
        ("Žirmūnų g. 12 laiptinė 3", "Nesuprantu „laiptinė“ dalyje „12 laiptinė 3“ (Žirmūnų g.)"),
        ("Liepų al. 2–10 (išskyrus šeštą)", "Nesuprantu „šeštą“ dalyje „2-10 (išskyrus šeštą)“"),
        ("Liepų al. 2–10 išskyrus 6", "Išimtis rašykite skliaustuose, pavyzdžiui, „2–10 (išskyrus 6)“"),
        ("Liepų al. 2–10 (išskyrus)", "Po „išskyrus“ nenurodyta, kurie namai (Liepų al.)"),
        ("Liepų al. 2 K1–10", "Korpusas intervale neleidžiamas: „2 K1-10“"),
        ("12, 14", "Nenurodyta gatvė"),
    ],
)
def test_wording_it_cannot_read_is_an_error_naming_the_piece(text, message):
    with pytest.raises(WordingError, match=re.escape(message)):
        parse_addresses(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Žirmūnų g.Nr 0123456789AB–-,;()poriniaeukglKš:ysmt", max_size=60))
def test_any_text_either_parses_or_raises_a_wording_error(text):
    try:
        parts = parse_addresses(text)
    except WordingError:
        return
    for part in parts:
        part.selector.covers("12A")
