"""Matcher quality and speed on resident queries, per kind of input.

Usage: python bench/matcher.py --register DIR --queries FILE [--sets DIR] [--no-anchor] [--show-errors N]
                              [--clock wall|cpu] [--passes N]
--sets: the per-kind query sets bench/make_matcher_sets.py wrote (one CSV per kind).
--clock cpu: time each query by the CPU time of this thread, not the wall clock: on a machine shared with
other work the wall clock's p99 measures the other work. --passes N: each query's time is the fastest of N.
Prints per-category figures on the dev queries, each generated set, other kinds of noise, the naive rapidfuzz
anchor, the 5× register run, and last: top1=… confident_wrong=… p50_ms=… p99_ms=… (the dev set, 1× register).
"""

import argparse
import csv
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process

from app.addresses.matcher import AddressIndex, AddressRecord, MatchResult, StreetRecord
from app.addresses.models import address_label
from app.addresses.reference import places, street_aliases
from bench.register_files import load_register

CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}
clock = CLOCKS["wall"]  # what query times are measured with (seconds); set from --clock
passes = 1  # each query's time is the fastest of this many runs; set from --passes


def build_index(streets, addresses) -> AddressIndex:
    """The index as the site builds it: with the project's aliases and places."""
    return AddressIndex(streets, addresses, aliases=street_aliases(), places=places())


def grade(result: MatchResult, expect: str) -> str:
    """correct / asked (answer among candidates) / asked_wrong / wrong_confident / missed.

    A confident answer is a building, a street, or "another place": each is wrong when it is not the one expected.
    `ask`: no confident answer is right (a question or "not found" is); `ask:<expect>`: a question with that
    answer among the candidates is right, as is that answer."""
    confident = result.status in ("found", "street_only", "outside_area")
    if expect == "ask":
        return "wrong_confident" if confident else "correct"
    if expect.startswith("ask:"):
        outcome = grade(result, expect[4:])
        return "correct" if outcome == "asked" else outcome
    if expect == "outside":
        right = result.status == "outside_area"
    elif expect == "none":
        right = result.status == "not_found"
    elif expect.startswith("street:"):
        right = result.status == "street_only" and result.street is not None and result.street.code == expect[7:]
    else:
        right = result.status == "found" and result.address is not None and result.address.code == expect
    if right:
        return "correct"
    if confident:
        return "wrong_confident"
    if result.status == "ambiguous":
        codes = {c.code for c in result.candidates}
        target = expect[7:] if expect.startswith("street:") else expect
        return "asked" if target in codes else "asked_wrong"
    return "missed"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_match(index: AddressIndex, query: str) -> tuple[MatchResult, float]:
    """The answer and the fastest of `passes` runs, in milliseconds."""
    fastest = float("inf")
    for _ in range(passes):
        started = clock()
        result = index.match(query)
        fastest = min(fastest, (clock() - started) * 1000)
    return result, fastest


def run(index: AddressIndex, queries: list[dict], show_errors: int = 0) -> tuple[Counter, dict, list[float]]:
    totals: Counter = Counter()
    per_category: dict[str, Counter] = defaultdict(Counter)
    timings = []
    errors = []
    for row in queries:
        result, milliseconds = timed_match(index, row["query"])
        timings.append(milliseconds)
        outcome = grade(result, row["expect"])
        totals[outcome] += 1
        per_category[row["category"]][outcome] += 1
        if outcome != "correct":
            errors.append((outcome, row, result))
    for outcome, row, result in errors[:show_errors]:
        got = result.address.label if result.address else (result.street.label if result.street else "")
        cands = ", ".join(c.label for c in result.candidates[:3])
        print(f"  {outcome:16} {row['query']!r} expect={row['expect']} got={result.status} {got} [{cands}]")
    return totals, per_category, timings


def synthetic_register(streets, addresses, factor: int, seed: int = 7):
    """The register grown `factor`× with invented street names and houses of the same shape."""
    rng = random.Random(seed)
    syllables = [
        "ka",
        "lu",
        "ve",
        "ri",
        "mo",
        "ta",
        "ne",
        "si",
        "gu",
        "pa",
        "do",
        "ze",
        "bi",
        "ro",
        "va",
        "ki",
        "le",
        "ša",
        "žu",
        "čo",
    ]
    endings = ["ų", "io", "ės", "os", "ių"]
    by_street = defaultdict(list)
    for a in addresses:
        by_street[a.street_code].append(a)
    new_streets, new_addresses = list(streets), list(addresses)
    next_address = 900_000_000
    for copy in range(1, factor):
        for street in streets:
            name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize() + rng.choice(endings)
            code = f"{copy}{street.code}"
            new_streets.append(StreetRecord(code, name, street.type_word, street.type_abbr))
            for a in by_street.get(street.code, ()):
                next_address += 1
                new_addresses.append(
                    AddressRecord(
                        str(next_address),
                        code,
                        a.number,
                        a.block,
                        address_label(name, street.type_abbr, a.number, a.block),
                    )
                )
    return new_streets, new_addresses


LATIN_TO_CYRILLIC = {
    "a": "а", "ą": "а", "b": "б", "c": "ц", "č": "ч", "d": "д", "e": "е", "ę": "е", "ė": "е", "f": "ф",
    "g": "г", "h": "х", "i": "и", "į": "и", "y": "ы", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н",
    "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "ų": "у", "ū": "у", "v": "в",
    "z": "з", "ž": "ж",
}  # fmt: skip


def to_cyrillic(text: str) -> str:
    """How a Russian speaker spells a Lithuanian name: Kiaunių → кяуню, Čiurlionio → чюрлёнё."""
    out, low, i = [], text.lower(), 0
    while i < len(low):
        pair = low[i : i + 2]
        if pair in ("ia", "ią"):
            out.append("я")
        elif pair in ("iu", "iū", "ių"):
            out.append("ю")
        elif pair == "io":
            out.append("ё")
        else:
            out.append(LATIN_TO_CYRILLIC.get(low[i], low[i]))
            i += 1
            continue
        i += 2
    return "".join(out)


def swap_in_surname(name: str) -> str:
    """Two neighbouring letters of the last word swapped, as fast typing does."""
    head, _, last = name.rpartition(" ")
    if len(last) < 4:
        return name
    last = last[:1] + last[2] + last[1] + last[3:]
    return f"{head} {last}".strip()


NOISES = {
    "cyrillic": lambda a, s, r: f"{to_cyrillic(s.name)} {to_cyrillic(s.type_abbr)} {a.number.lower()}",
    "cyrillic_ul_kv": lambda a, s, r: f"ул. {to_cyrillic(s.name)}, д. {a.number.lower()}, кв. {r.randint(1, 99)}",
    "house_first": lambda a, s, r: f"{a.number} {s.name} {s.type_abbr}",
    "type_first": lambda a, s, r: f"{s.type_word} {s.name} {a.number}",
    "city_and_postcode": lambda a, s, r: (
        f"Vilniaus m. sav., {s.name} {s.type_word} {a.number}, LT-{r.randint(1000, 14999):05d}"
    ),
    "no_space": lambda a, s, r: f"{s.name}{a.number}",
    "flat_bt": lambda a, s, r: f"{s.name} {s.type_abbr} {a.number}, bt. {r.randint(1, 120)}",
    "upper_ascii": lambda a, s, r: f"{s.name.upper()} {a.number}".translate(str.maketrans("ĄČĘĖĮŠŲŪŽ", "ACEEISUUZ")),
    "doubled_letter": lambda a, s, r: f"{s.name[:-3]}{s.name[-3:-2]}{s.name[-3:]} {a.number}",
    "dropped_letter": lambda a, s, r: f"{s.name[:-3]}{s.name[-2:]} {a.number}",
    "swapped_letters": lambda a, s, r: swap_in_surname(s.name) + f" {a.number}",
    "namas": lambda a, s, r: f"{s.name} {s.type_abbr} namas {a.number}",
}


def noise_report(index: AddressIndex, streets, addresses, queries: list[dict]) -> None:
    """Top-1 and confident-wrong on the dev set's buildings written with other kinds of noise."""
    by_code = {a.code: a for a in addresses}
    street_by_code = {s.code: s for s in streets}
    targets = [by_code[q["expect"]] for q in queries if q["expect"] in by_code]
    print("\nother kinds of noise (the dev set's buildings, rewritten):")
    for name, write in NOISES.items():
        rng = random.Random(name)
        outcomes = Counter(grade(index.match(write(a, street_by_code[a.street_code], rng)), a.code) for a in targets)
        n = sum(outcomes.values())
        print(
            f"  {name:18} n={n} top1={outcomes['correct'] / n:.4f} confident_wrong={outcomes['wrong_confident'] / n:.4f}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, required=True, help="the shared vilnius-register folder")
    parser.add_argument("--queries", type=Path, required=True, help="the shared dev_queries.csv")
    parser.add_argument("--sets", type=Path, help="folder of per-kind sets from bench/make_matcher_sets.py")
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--show-errors", type=int, default=0)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall", help="how query times are measured")
    parser.add_argument("--passes", type=int, default=1, help="time each query this many times, keep the fastest")
    return parser.parse_args()


def read_queries(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def timed_index(streets, addresses) -> tuple[AddressIndex, float, float]:
    """(index, seconds to build, MB it holds)."""
    tracemalloc.start()
    started = time.perf_counter()
    index = build_index(streets, addresses)
    seconds = time.perf_counter() - started
    megabytes = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    return index, seconds, megabytes


def print_categories(per_category: dict[str, Counter], totals: Counter, timings: list[float], title: str) -> None:
    print(f"\n{title:22} {'n':>5} {'top1':>7} {'asked+ans':>9} {'conf_wrong':>10} {'p50_ms':>7} {'p99_ms':>7}")
    for category, counts in sorted(per_category.items()):
        m = sum(counts.values())
        print(
            f"{category:22} {m:5d} {counts['correct'] / m:7.4f} {counts['asked'] / m:9.4f} "
            f"{counts['wrong_confident'] / m:10.4f}"
        )
    n = sum(totals.values())
    print(
        f"{'all':22} {n:5d} {totals['correct'] / n:7.4f} {totals['asked'] / n:9.4f} "
        f"{totals['wrong_confident'] / n:10.4f} {statistics.median(timings):7.3f} {percentile(timings, 0.99):7.3f}"
        f"   outcomes: {dict(totals)}"
    )


def report_sets(index: AddressIndex, directory: Path, show_errors: int) -> None:
    """Each generated set: top-1, asked with the answer among the candidates, confident-wrong, p50/p99."""
    print(f"\nper-kind sets ({directory}):")
    print(f"{'set':22} {'n':>5} {'top1':>7} {'asked+ans':>9} {'conf_wrong':>10} {'p50_ms':>7} {'p99_ms':>7}")
    for path in sorted(directory.glob("*.csv")):
        totals, _, timings = run(index, read_queries(path), show_errors)
        n = sum(totals.values())
        print(
            f"{path.stem:22} {n:5d} {totals['correct'] / n:7.4f} {totals['asked'] / n:9.4f} "
            f"{totals['wrong_confident'] / n:10.4f} {statistics.median(timings):7.3f} {percentile(timings, 0.99):7.3f}"
        )


def report_anchor(addresses: list[AddressRecord], queries: list[dict]) -> None:
    """The naive baseline: rapidfuzz WRatio of the whole query against every address label."""
    labels = [a.label for a in addresses]
    codes = [a.code for a in addresses]
    right = 0
    times = []
    for q in queries:
        started = clock()
        _, _, i = process.extractOne(q["query"], labels, scorer=fuzz.WRatio)
        times.append((clock() - started) * 1000)
        right += codes[i] == q["expect"]
    n = len(queries)
    print(
        f"naive anchor (rapidfuzz WRatio over every address label): top1={right / n:.4f} "
        f"confident_wrong={(n - right) / n:.4f} p50_ms={statistics.median(times):.2f} p99_ms={percentile(times, 0.99):.2f}"
    )


def report_five_times(streets, addresses, queries: list[dict]) -> None:
    """The dev queries against a register grown 5× with invented streets: speed, and that answers hold."""
    big_streets, big_addresses = synthetic_register(streets, addresses, 5)
    big, _, big_mb = timed_index(big_streets, big_addresses)
    for q in queries[:50]:
        big.match(q["query"])
    totals, _, timings = run(big, queries)
    n = sum(totals.values())
    print(
        f"5x register ({len(big_streets)} streets, {len(big_addresses)} addresses): index {big_mb:.1f} MB, "
        f"top1={totals['correct'] / n:.4f} confident_wrong={totals['wrong_confident'] / n:.4f} "
        f"p50={statistics.median(timings):.3f} ms p99={percentile(timings, 0.99):.3f} ms"
    )


def main() -> None:
    global clock, passes
    args = parse_args()
    clock, passes = CLOCKS[args.clock], max(1, args.passes)
    streets, addresses = load_register(args.register)
    queries = read_queries(args.queries)
    index, build_seconds, index_mb = timed_index(streets, addresses)
    print(
        f"register: {len(streets)} streets, {len(addresses)} addresses; "
        f"index built in {build_seconds:.2f} s, {index_mb:.1f} MB"
    )
    for q in queries[:50]:  # warm-up
        index.match(q["query"])
    totals, per_category, timings = run(index, queries, args.show_errors)
    print_categories(per_category, totals, timings, "dev category")
    if args.sets:
        report_sets(index, args.sets, args.show_errors)
    noise_report(index, streets, addresses, queries)
    if not args.no_anchor:
        report_anchor(addresses, queries)
    report_five_times(streets, addresses, queries)
    n = sum(totals.values())
    print(
        f"top1={totals['correct'] / n:.4f} confident_wrong={totals['wrong_confident'] / n:.4f} "
        f"p50_ms={statistics.median(timings):.2f} p99_ms={percentile(timings, 0.99):.2f}"
    )


if __name__ == "__main__":
    main()
