"""Writes data/demo-register/ in the Registrų centras shape.

Street names are real Vilnius streets; codes and house numbers are made up for the demo
(codes start with 9 so they can never be mistaken for real register codes).
Run again after editing STREETS: `python data/generate_demo_register.py`.
"""

import random
from pathlib import Path

TYPES = {
    "g.": "gatvė",
    "pr.": "prospektas",
    "al.": "alėja",
    "skg.": "skersgatvis",
    "a.": "aikštė",
    "pl.": "plentas",
    "kel.": "kelias",
    "tak.": "takas",
    "skv.": "skveras",
    "aklg.": "akligatvis",
}

# (name without the type word, abbreviation, how many buildings)
STREETS = [
    ("Gedimino", "pr.", 60),
    ("Konstitucijos", "pr.", 40),
    ("Laisvės", "pr.", 120),
    ("Savanorių", "pr.", 180),
    ("Pilaitės", "pr.", 50),
    ("Saulėtekio", "al.", 30),
    ("Rožių", "al.", 12),
    ("I. Kanto", "al.", 10),
    ("Liepų", "al.", 20),
    ("Zalcburgo", "al.", 8),
    ("Pasažo", "skg.", 6),
    ("Verbų", "skg.", 5),
    ("Viršuliškių", "skg.", 8),
    ("Lentpjūvių", "skg.", 5),
    ("Katedros", "a.", 4),
    ("Rotušės", "a.", 6),
    ("Europos", "a.", 4),
    ("Lukiškių", "a.", 5),
    ("S. Daukanto", "a.", 4),
    ("Vinco Kudirkos", "a.", 5),
    ("Molėtų", "pl.", 40),
    ("Nemenčinės", "pl.", 25),
    ("Eišiškių", "pl.", 30),
    ("Minsko", "pl.", 20),
    ("Bajorų", "kel.", 20),
    ("Pušyno", "kel.", 30),
    ("Sudervės", "kel.", 15),
    ("Ribiškių", "tak.", 6),
    ("Reformatų", "skv.", 3),
    ("Žemaitės", "skv.", 3),
    ("Gariūnų", "aklg.", 6),
    ("Žirmūnų", "g.", 160),
    ("Antakalnio", "g.", 120),
    ("Kalvarijų", "g.", 200),
    ("Ukmergės", "g.", 150),
    ("Pylimo", "g.", 60),
    ("Vilniaus", "g.", 40),
    ("Didžioji", "g.", 35),
    ("Pilies", "g.", 25),
    ("Totorių", "g.", 25),
    ("Vokiečių", "g.", 25),
    ("Trakų", "g.", 20),
    ("Jogailos", "g.", 15),
    ("J. Basanavičiaus", "g.", 45),
    ("Vytauto", "g.", 40),
    ("A. Goštauto", "g.", 15),
    ("Povilo Alšėniškio", "g.", 20),
    ("Sausio 13-osios", "g.", 20),
    ("Birželio 23-iosios", "g.", 20),
    ("Vasario 16-osios", "g.", 15),
    ("Šeškinės", "g.", 70),
    ("Fabijoniškių", "g.", 90),
    ("Justiniškių", "g.", 100),
    ("Viršuliškių", "g.", 60),
    ("Lazdynų", "g.", 50),
    ("Architektų", "g.", 160),
    ("Erfurto", "g.", 50),
    ("Taikos", "g.", 160),
    ("Naugarduko", "g.", 100),
    ("Mindaugo", "g.", 35),
    ("Kauno", "g.", 30),
    ("Geležinkelio", "g.", 20),
    ("Sodų", "g.", 25),
    ("Pamėnkalnio", "g.", 30),
    ("Islandijos", "g.", 10),
    ("Tilto", "g.", 30),
    ("Kęstučio", "g.", 70),
    ("Algirdo", "g.", 40),
    ("Švitrigailos", "g.", 40),
    ("T. Kosciuškos", "g.", 35),
    ("K. Kalinausko", "g.", 25),
    ("M. K. Čiurlionio", "g.", 110),
    ("Šiltnamių", "g.", 40),
    ("Žalgirio", "g.", 130),
    ("Verkių", "g.", 60),
    ("Kareivių", "g.", 20),
    ("Minties", "g.", 50),
    ("Tuskulėnų", "g.", 50),
    ("Olimpiečių", "g.", 10),
    ("Rinktinės", "g.", 55),
    ("Lvovo", "g.", 40),
    ("Kernavės", "g.", 40),
    ("Krokuvos", "g.", 60),
    ("Apkasų", "g.", 40),
    ("Giedraičių", "g.", 80),
    ("Baltupio", "g.", 150),
    ("Didlaukio", "g.", 90),
    ("Jeruzalės", "g.", 40),
    ("Bitininkų", "g.", 10),
    ("Kalvarijų Sodų 1-oji", "g.", 8),
    ("Kalvarijų Sodų 2-oji", "g.", 8),
    ("Antavilių Sodų 3-oji", "g.", 6),
    ("Dariaus ir Girėno", "g.", 40),
    ("Gerosios Vilties", "g.", 25),
    ("Žygimantų", "g.", 20),
    ("Liepkalnio", "g.", 120),
    ("Tyzenhauzų", "g.", 15),
    ("Subačiaus", "g.", 40),
    ("Maironio", "g.", 15),
    ("Užupio", "g.", 30),
    ("Paupio", "g.", 50),
    ("Polocko", "g.", 40),
    ("Smėlio", "g.", 20),
    ("Linkmenų", "g.", 40),
    ("Ozo", "g.", 40),
    ("Gelvonų", "g.", 60),
    ("Eitminų", "g.", 20),
    ("Šilo", "g.", 30),
    ("Sietyno", "g.", 20),
    ("Loretos Asanavičiūtės", "g.", 30),
    ("Ateities", "g.", 60),
    ("Gabijos", "g.", 90),
    ("Pašilaičių", "g.", 15),
    ("Perkūnkiemio", "g.", 20),
    ("Gedvydžių", "g.", 15),
    ("Tarandės", "g.", 40),
    ("Lentvario", "g.", 10),
    ("Dūmų", "g.", 10),
    ("Mokyklos", "g.", 10),
    ("Santariškių", "g.", 10),
    ("Žolyno", "g.", 45),
    ("Visorių", "g.", 30),
    ("Kairėnų", "g.", 30),
    ("Pavilnio", "g.", 30),
    ("Vingrių", "g.", 25),
    ("Šv. Stepono", "g.", 35),
    ("Šv. Ignoto", "g.", 10),
    ("Rūdninkų", "g.", 25),
    ("Aušros Vartų", "g.", 20),
    ("Bokšto", "g.", 20),
    ("Stiklių", "g.", 15),
    ("Gaono", "g.", 10),
    ("Šermukšnių", "g.", 10),
    ("Dominikonų", "g.", 15),
    ("Universiteto", "g.", 10),
    ("Odminių", "g.", 10),
    ("T. Ševčenkos", "g.", 30),
    ("Rasų", "g.", 40),
    ("Krivių", "g.", 60),
    ("Varšuvos", "g.", 20),
    ("S. Stanevičiaus", "g.", 50),
    ("Ąžuolyno", "g.", 30),
    ("Žirnių", "g.", 25),
    ("Dzūkų", "g.", 50),
    ("Gėlių", "g.", 20),
    ("Vilkpėdės", "g.", 30),
    ("Panerių", "g.", 50),
    ("Statybininkų", "g.", 15),
    ("Pramonės", "g.", 80),
    ("Žemaitės", "g.", 25),
    ("Raugyklos", "g.", 20),
    ("Saltoniškių", "g.", 50),
    ("Žvejų", "g.", 30),
    ("Upės", "g.", 15),
    ("Muitinės", "g.", 15),
    ("Gariūnų", "g.", 80),
    ("Sporto", "g.", 20),
    ("Tauro", "g.", 15),
    ("J. Jasinskio", "g.", 20),
    ("A. Vivulskio", "g.", 40),
    ("Švenčionių", "g.", 15),
    ("Pylimėlių", "g.", 10),
]

SEED = 20261125

# Buildings the site's own examples name ("Pavyzdžiui: Žirmūnų g. 12A"): a newcomer's first search must
# find one. Added after the generated ones (new codes at the end) when the draw did not make them.
EXAMPLE_BUILDINGS = [("Žirmūnų", "g.", "12A", "")]


def house_numbers(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Plausible (number, block) pairs: mostly consecutive, some letters, a few blocks."""
    houses: list[tuple[str, str]] = []
    n = 0
    while len(houses) < count:
        n += rng.choice((1, 1, 1, 2, 2, 3))
        houses.append((str(n), ""))
        if rng.random() < 0.12 and len(houses) < count:
            for letter in "ABCD"[: rng.choice((1, 1, 2, 3))]:
                if len(houses) < count:
                    houses.append((f"{n}{letter}", ""))
        if rng.random() < 0.02 and len(houses) + 2 <= count:
            houses.extend([(str(n), "1"), (str(n), "2")])
    return houses


def main() -> None:
    rng = random.Random(SEED)
    out = Path(__file__).resolve().parent / "demo-register"
    out.mkdir(exist_ok=True)
    street_lines = ["GAT_KODAS|GYV_KODAS|TIPAS|TIPO_SANTRUMPA|VARDAS_K|GAT_NUO"]
    address_lines = ["AOB_KODAS|SAV_KODAS|GYV_KODAS|GAT_KODAS|NR|KORPUSO_NR|PASTO_KODAS|AOB_NUO"]
    address_code = 990000001
    drawn: dict[tuple[str, str], tuple[str, str]] = {}
    for i, (name, abbr, count) in enumerate(STREETS, start=1):
        street_code = str(9100000 + i)
        street_lines.append(f"{street_code}|31003|{TYPES[abbr]}|{abbr}|{name}|2011-01-01")
        postcode = f"LT-{rng.randint(1, 14) * 1000 + rng.randint(100, 999):05d}"
        for number, block in house_numbers(rng, count):
            address_lines.append(f"{address_code}|13|31003|{street_code}|{number}|{block}|{postcode}|2011-01-01")
            address_code += 1
        drawn[(name, abbr)] = (street_code, postcode)
    for name, abbr, number, block in EXAMPLE_BUILDINGS:
        street_code, postcode = drawn[(name, abbr)]
        line = f"|13|31003|{street_code}|{number}|{block}|"
        if not any(line in existing for existing in address_lines):
            address_lines.append(f"{address_code}{line}{postcode}|2011-01-01")
            address_code += 1
    (out / "adr_gatves.csv").write_text("\n".join(street_lines) + "\n", encoding="utf-8")
    (out / "adr_stat_lr.csv").write_text("\n".join(address_lines) + "\n", encoding="utf-8")
    print(f"streets={len(street_lines) - 1} addresses={len(address_lines) - 1}")


if __name__ == "__main__":
    main()
