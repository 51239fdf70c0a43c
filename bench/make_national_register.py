"""Make a synthetic national register (≈1M addresses) from the Vilnius register, for bench/import_register.py.

Usage: python bench/make_national_register.py OUT_DIR [--register DIR] [--rows 1000000] [--seed 15]

OUT_DIR gets adr_gatves.csv and adr_stat_lr.csv in the official shape (pipe-delimited UTF-8, header row):
the Vilnius city rows of the given register unchanged (SAV_KODAS 13), spread through the file, and other
municipalities' streets and addresses made up from the same street names with synthetic municipality
(SAV_KODAS 20–79), settlement and register codes. Two columns the importer does not read (SYNTH_X, SYNTH_Y)
stand in for the official files' other columns. OUT_DIR must lie outside the project: the files are large
and derived from the shared data.
"""

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
VILNIUS_SAV_KODAS = "13"
HOUSES_PER_STREET = (1, 60)
STREETS_PER_SETTLEMENT = (1, 40)
STREET_HEADER = ["GAT_KODAS", "GYV_KODAS", "TIPAS", "TIPO_SANTRUMPA", "VARDAS_K", "GAT_NUO", "SYNTH_X"]
ADDRESS_HEADER = [
    "AOB_KODAS",
    "SAV_KODAS",
    "GYV_KODAS",
    "GAT_KODAS",
    "NR",
    "KORPUSO_NR",
    "PASTO_KODAS",
    "AOB_NUO",
    "SYNTH_X",
    "SYNTH_Y",
]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="|", quoting=csv.QUOTE_NONE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--rows", type=int, default=1_000_000, help="addresses in all (Vilnius included)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    out = args.out_dir.resolve()
    if out == ROOT or ROOT in out.parents:
        sys.exit(f"{out} is inside the project; give a directory outside it (e.g. /tmp/national-register)")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)

    vilnius_streets = read(args.register / "adr_gatves.csv")
    vilnius_addresses = read(args.register / "adr_stat_lr.csv")
    names = [(s["TIPAS"], s["TIPO_SANTRUMPA"], s["VARDAS_K"]) for s in vilnius_streets]

    streets = [[*(s.get(c, "") for c in STREET_HEADER[:-1]), "0"] for s in vilnius_streets]
    addresses = [[*(a.get(c, "") for c in ADDRESS_HEADER[:-2]), "0", "0"] for a in vilnius_addresses]
    others_wanted = max(0, args.rows - len(addresses))
    street_code, address_code, settlement = 5_000_000, 300_000_000, 50_000
    other_addresses = 0
    while other_addresses < others_wanted:
        settlement += 1
        municipality = str(rng.randint(20, 79))
        for _ in range(rng.randint(*STREETS_PER_SETTLEMENT)):
            street_code += 1
            type_word, abbr, name = rng.choice(names)
            streets.append([str(street_code), str(settlement), type_word, abbr, name, "2011-01-01", "0"])
            for number in range(1, rng.randint(*HOUSES_PER_STREET) + 1):
                if other_addresses >= others_wanted:
                    break
                address_code += 1
                other_addresses += 1
                letter = rng.choice(("", "", "", "", "A", "B"))
                postcode = f"LT-{rng.randint(10000, 99999)}"
                x, y = str(rng.randint(300000, 700000)), str(rng.randint(5970000, 6260000))
                addresses.append(
                    [
                        str(address_code),
                        municipality,
                        str(settlement),
                        str(street_code),
                        f"{number}{letter}",
                        "",
                        postcode,
                        "2011-01-01",
                        x,
                        y,
                    ]
                )
    # The Vilnius rows end up spread through the file, as in a national extract.
    rng.shuffle(streets)
    rng.shuffle(addresses)
    for name, header, rows in (
        ("adr_gatves.csv", STREET_HEADER, streets),
        ("adr_stat_lr.csv", ADDRESS_HEADER, addresses),
    ):
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            handle.write("|".join(header) + "\n")
            handle.writelines("|".join(row) + "\n" for row in rows)
    size = sum((out / n).stat().st_size for n in ("adr_gatves.csv", "adr_stat_lr.csv")) / 1e6
    print(
        f"{out}: streets={len(streets)} addresses={len(addresses)} "
        f"(Vilnius {len(vilnius_addresses)} addresses, {len(vilnius_streets)} streets) size_mb={size:.0f}"
    )


if __name__ == "__main__":
    main()
