"""Import the dev schedule into a fresh database and compare with the truth; then time a 2,000-row schedule.

Usage: python bench/schedule.py [--register DIR] [--schedule FILE] [--truth FILE]
Last line: precision=1.0000 recall=1.0000 rows2000_seconds=0.00
"""

import argparse
import csv
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select

from app import create_app
from app.addresses.lookup import address_index
from app.addresses.models import Address
from app.addresses.register import import_register
from app.extensions import db
from app.shutoffs.importer import import_schedule, read_schedule, resolve_schedule_rows
from app.shutoffs.models import ScheduleBatch, Shutoff, ShutoffChange

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TODAY = date(2027, 1, 1)  # before every row of the dev schedule: nothing is "already over"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--schedule", type=Path, default=SHARED / "schedules" / "dev_schedule.csv")
    parser.add_argument("--truth", type=Path, default=SHARED / "schedules" / "dev_schedule_truth.csv")
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite")
        with app.app_context():
            db.create_all()
            import_register(args.register)
            precision, recall = _accuracy(args.schedule, args.truth)
            _clear_schedule()
            seconds = _time_synthetic(Path(tmp), args.rows)
    print(f"precision={precision:.4f} recall={recall:.4f} rows{args.rows}_seconds={seconds:.2f}")


def _accuracy(schedule: Path, truth_file: Path) -> tuple[float, float]:
    data = schedule.read_bytes()
    report = import_schedule(data, schedule.name, today=TODAY, published_by="bench")
    for line in report.lines():
        print(line)
    # Pairs from the resolver by data row (each row on its own, so a repeated row is scored too).
    rows, _problems = read_schedule(data, schedule.name)
    got = {(item.row.number, code) for row in rows for item in resolve_schedule_rows([row])[0] for code in item.codes}
    with truth_file.open(encoding="utf-8-sig", newline="") as handle:
        truth = {(int(r["row"]), r["code"]) for r in csv.DictReader(handle)}
    published = {(s.address_code, s.first_day, s.last_day) for s in db.session.scalars(select(Shutoff))}
    expected = {
        (r["code"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"])) for r in _truth_rows(truth_file)
    }
    print(f"pairs found={len(got)} truth={len(truth)}; published shutoffs equal the truth: {published == expected}")
    again = import_schedule(data, schedule.name, today=TODAY, published_by="bench")
    print("the same file again: " + again.summary())
    hits = len(got & truth)
    return (hits / len(got) if got else 0.0), (hits / len(truth) if truth else 0.0)


def _truth_rows(truth_file: Path) -> list[dict]:
    with truth_file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _clear_schedule() -> None:
    db.session.execute(delete(ShutoffChange))
    db.session.execute(delete(Shutoff))
    db.session.execute(delete(ScheduleBatch))
    db.session.commit()


def _time_synthetic(tmp: Path, count: int) -> float:
    """Write `count` rows in every wording form over the register's streets, import them, return seconds."""
    rng = random.Random(4)
    index = address_index()
    codes = db.session.scalars(select(Address.street_code).distinct().order_by(Address.street_code))
    streets = [index.street(code) for code in codes]
    reasons = ("Hidrauliniai bandymai", "Vamzdynų remontas", "Šilumos trasos rekonstrukcija")
    lines = ["Adresai,Pradžia,Pabaiga,Priežastis"]
    for i in range(count):
        parts = [_wording(rng, index, rng.choice(streets)) for _ in range(rng.randint(1, 3))]
        start = TODAY + timedelta(days=100 + i % 150)
        end = start + timedelta(days=rng.randint(0, 3))
        cell = "; ".join(parts).replace('"', "")
        lines.append(f'"{cell}",{start.isoformat()},{end.isoformat()},{reasons[i % 3]}')
    path = tmp / "synthetic.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = import_schedule(path.read_bytes(), path.name, today=TODAY, published_by="bench")
    seconds = time.perf_counter() - started
    print(f"synthetic: {report.summary()}; problems={len(report.problems)}; published={report.published}")
    for line in report.lines()[1:6]:
        print("  " + line)
    return seconds


def _wording(rng: random.Random, index, street) -> str:
    """One street in one of the wording forms, over houses that exist (every row must resolve)."""
    houses = [h.number for h in index.houses(street.code)]
    label = _plate_form(street) if rng.random() < 0.3 else street.label
    form = rng.randrange(9)
    if form == 0 or len(houses) < 2:
        return label if rng.random() < 0.5 else f"{label} (visi)"
    a, b = sorted(rng.sample(range(len(houses)), 2))
    first, last = houses[a], houses[b]
    parity = ("poriniai", "neporiniai")[int(re.match(r"\d+", first).group()) % 2]
    forms = {
        1: lambda: f"{label} {', '.join(sorted(rng.sample(houses, min(3, len(houses))), key=houses.index))}",
        2: lambda: f"{label} {first}–{last}",
        3: lambda: f"{label} nuo Nr. {first} iki galo",
        4: lambda: f"{label} nuo Nr. {first} iki Nr. {last}",
        5: lambda: f"{label} {first} - {last}",
        6: lambda: f"{label} {first}–{last} ({parity})",
        7: lambda: f"{label} {parity} numeriai nuo Nr. {first} iki Nr. {last}",
        8: lambda: f"{label} Nr. {first}, Nr. {last}",
    }
    return forms[form]()


def _plate_form(street) -> str:
    """`Povilo Alšėniškio g.` → `P. Alšėniškio g.` (as street plates and schedules write it)."""
    words = street.name.split()
    if len(words) < 2 or not words[-1][:1].isalpha() or not all(w[:1].isupper() for w in words[:-1]):
        return street.label
    return " ".join([f"{w[0]}." for w in words[:-1]] + [words[-1], street.type_abbr])


if __name__ == "__main__":
    main()
