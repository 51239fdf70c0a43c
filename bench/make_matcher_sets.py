"""Query sets for the matcher benchmark, one per kind of input, generated from a register and written outside
the project (never into it: the shared data stays where it is).

Usage: python bench/make_matcher_sets.py --register DIR --out DIR [--other-places FILE] [--seed N]
Writes OUT/<kind>.csv (`query,category,expect`, as the dev queries): expect is an address code,
`street:<code>`, `none` (no such street), `outside` (another city or municipality), `ask` (no confident
answer is right: a question or "not found") or `ask:<address code or street:code>` (truly ambiguous: a
question with that answer among the candidates is right, as is that answer itself).
--other-places: free-text addresses from all of Lithuania (one a line, e.g. the shared
raw/parasykjiems/bigAddressTable.csv); lines naming Vilnius are skipped.
"""

import argparse
import csv
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.addresses.matcher import AddressRecord, StreetRecord
from app.addresses.normalise import fold
from app.addresses.reference import read_street_aliases
from bench.register_files import load_register

PROJECT = Path(__file__).resolve().parent.parent
PER_SET = 1000


def corner(rng, streets, houses, by_label):
    """`Pylimo g. 4/Labdarių g. 2` → the first; `Pylimo g. 9999/Labdarių g. 2` → the second."""
    a, b = rng.sample(houses, 2)
    sa, sb = streets[a.street_code], streets[b.street_code]
    if rng.random() < 0.3:
        return f"{sa.name} {sa.type_abbr} 999/{sb.name} {sb.type_abbr} {b.number}", b.code
    return f"{sa.name} {sa.type_abbr} {a.number}/{sb.name} {sb.type_abbr} {b.number}", a.code


def nr_with_flat(rng, streets, houses, by_label):
    """`Žirmūnų gatvė nr. 14-5`, `Pylimo nr. 4-12`."""
    a = rng.choice(houses)
    s = streets[a.street_code]
    kind = rng.choice([f" {s.type_word}", "", f" {s.type_abbr}"])
    return f"{s.name}{kind} nr. {a.number}-{rng.randint(1, 120)}", a.code


def type_word_first(rng, streets, houses, by_label):
    """`g. P. Vileišio 10`: the abbreviation first, then a name with initials."""
    with_initials = [a for a in houses if re.match(r"^(\w\. )+", streets[a.street_code].name)]
    a = rng.choice(with_initials)
    s = streets[a.street_code]
    return f"{s.type_abbr} {s.name} {a.number}", a.code


def two_dropped_letters(rng, streets, houses, by_label):
    """`Svanrių pr. 13`: two letters left out of a one-word name of 8 to 11 letters."""
    eligible = [
        a for a in houses if " " not in streets[a.street_code].name and 8 <= len(streets[a.street_code].name) <= 11
    ]
    a = rng.choice(eligible)
    s = streets[a.street_code]
    name = s.name
    i, j = sorted(rng.sample(range(1, len(name) - 1), 2))
    return f"{name[:i]}{name[i + 1 : j]}{name[j + 1 :]} {s.type_abbr} {a.number}", a.code


def part_of_a_name(rng, streets, houses, by_label):
    """`Kalvarijų Sodų 3` where no such street is: another street's first word before a name's last word.
    No confident answer is right (`ask`)."""
    multi = [a for a in houses if len(streets[a.street_code].name.split()) >= 2]
    a = rng.choice(multi)
    own_first, last = streets[a.street_code].name.split()[0], streets[a.street_code].name.split()[-1]
    firsts = {s.name.split()[0] for s in streets.values() if len(s.name.split()) >= 2}
    first = rng.choice(sorted(firsts - {own_first}))
    if fold(first)[0] == fold(own_first)[0]:
        return None  # `Aušros Vivulskio` may well be A. Vivulskio, `I. Šimulionio` Igno Šimulionio: not wrong
    if f"{first} {last}".casefold() in {s.name.casefold() for s in streets.values()}:
        return None
    return f"{first} {last} {a.number}", "ask"


def number_in_the_name(rng, streets, houses, by_label):
    """`Sausio 13`, `Kalvarijų Sodų 2`: a street whose name ends with a number, written without the ending.

    The number may also be a house: on the street the words before it name (`Juodvarnių Sodų 22`: Juodvarnių
    Sodų g. 22), or, when no street is so named, on one the words only partly name (`Pavilnio Sodų 7`: Sodų
    g. 7, Kairėnės Sodų g. 7). A resident could mean either, so a question with the numbered street among
    the candidates is right (`ask:street:<code>`)."""
    numbered = [s for s in streets.values() if re.search(r"\d+-\w+$", s.name)]
    s = rng.choice(numbered)
    query = re.sub(r"(\d+)-\w+$", r"\1", s.name)
    *name, number = query.split()
    by_name, by_last_word = _house_numbers(streets, houses)
    whole = fold(" ".join(name))
    also_a_house = number in by_name[whole] if whole in by_name else number in by_last_word[fold(name[-1])]
    return query, f"ask:street:{s.code}" if name and also_a_house else f"street:{s.code}"


_HOUSE_NUMBERS: dict[int, tuple[dict, dict]] = {}


def _house_numbers(streets, houses) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """House numbers of streets without a number in their name, by folded name and by its last word."""
    if id(houses) not in _HOUSE_NUMBERS:
        by_name: dict[str, set[str]] = defaultdict(set)
        by_last_word: dict[str, set[str]] = defaultdict(set)
        for street in streets.values():
            if not re.search(r"\d", street.name):
                by_name[fold(street.name)]
        for a in houses:
            name = streets[a.street_code].name
            if not re.search(r"\d", name):
                by_name[fold(name)].add(a.number)
                by_last_word[fold(name.split()[-1])].add(a.number)
        _HOUSE_NUMBERS[id(houses)] = (by_name, by_last_word)
    return _HOUSE_NUMBERS[id(houses)]


def alias(rng, streets, houses, by_label):
    """`ul. Zamkowa 4`, `пр. Гедиминаса 9`: the project's alias table with a house of the street."""
    rows = [(r, by_label[r.street]) for r in read_street_aliases() if r.street in by_label]
    row, street = rng.choice(rows)
    own = [a for a in houses if a.street_code == street.code]
    if not own or row.alias == "M. Gorkio":  # one alias of three streets: a question, not an answer
        return None
    a = rng.choice(own)
    prefix = {"ru": rng.choice(["ул. ", "пр. ", ""]), "pl": rng.choice(["ul. ", ""])}.get(row.language, "")
    return f"{prefix}{row.alias} {a.number}", a.code


KINDS = {
    "corner": corner,
    "nr_with_flat": nr_with_flat,
    "type_word_first": type_word_first,
    "two_dropped_letters": two_dropped_letters,
    "part_of_a_name": part_of_a_name,
    "number_in_the_name": number_in_the_name,
    "alias": alias,
}


def other_places(path: Path, rng: random.Random) -> list[tuple[str, str]]:
    """Real addresses from other towns, as written there."""
    lines = [line.strip().lstrip("\ufeff") for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith("--") and not re.search(r"(?i)vilni", line)]
    rng.shuffle(lines)
    return [(line, "outside") for line in lines[:PER_SET]]


def generate(streets: dict[str, StreetRecord], addresses: list[AddressRecord], seed: int) -> dict[str, list]:
    by_label = {s.label: s for s in streets.values()}
    houses = [a for a in addresses if not a.block]
    sets: dict[str, list] = defaultdict(list)
    for kind, write in KINDS.items():
        rng = random.Random(f"{seed}-{kind}")
        tries = 0
        while len(sets[kind]) < PER_SET and tries < PER_SET * 5:
            tries += 1
            row = write(rng, streets, houses, by_label)
            if row is not None:
                sets[kind].append(row)
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--other-places", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    out = args.out.resolve()
    if out == PROJECT or PROJECT in out.parents:
        parser.error("--out must be outside the project")
    streets, addresses = load_register(args.register)
    sets = generate({s.code: s for s in streets}, addresses, args.seed)
    if args.other_places:
        sets["other_place"] = other_places(args.other_places, random.Random(args.seed))
    out.mkdir(parents=True, exist_ok=True)
    for kind, rows in sets.items():
        with (out / f"{kind}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["query", "category", "expect"])
            writer.writerows((query, kind, expect) for query, expect in rows)
        print(f"{out / f'{kind}.csv'}: {len(rows)} queries")


if __name__ == "__main__":
    main()
