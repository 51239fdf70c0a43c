"""Import the dev schedule into a fresh database and compare with the truth; then re-publish a 2,000-row schedule
with 100 rows moved, through the importer and through the staff pages (preview page, publish button).

Usage: python bench/schedule.py [--register DIR] [--schedule FILE] [--truth FILE] [--rows 2000] [--moved 100]
Last line: precision=1.0000 recall=1.0000 preview_s=… publish_s=… page_preview_s=… page_publish_s=…
"""

import argparse
import csv
import io
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
from app.admin.accounts import create_staff_user
from app.extensions import db
from app.shutoffs.importer import import_schedule, read_schedule, resolve_schedule_rows
from app.shutoffs.models import ScheduleBatch, Shutoff, ShutoffChange

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TODAY = date(2027, 1, 1)  # before every row of the dev schedule: nothing is "already over"
STAFF_PASSWORD = "bench-slaptazodis-1"  # noqa: S105 -- a throwaway account in a temporary database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--schedule", type=Path, default=SHARED / "schedules" / "dev_schedule.csv")
    parser.add_argument("--truth", type=Path, default=SHARED / "schedules" / "dev_schedule_truth.csv")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--moved", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite",
            WTF_CSRF_ENABLED=False,
            RATELIMIT_ENABLED=False,
        )
        with app.app_context():
            db.create_all()
            import_register(args.register)
            precision, recall = _accuracy(args.schedule, args.truth)
            _clear_schedule()
            first, moved = _synthetic_files(args.rows, args.moved)
            preview_s, publish_s = _time_republish(first, moved)
            _clear_schedule()
            page_preview_s, page_publish_s = _time_pages(app, first, moved)
    print(
        f"precision={precision:.4f} recall={recall:.4f} preview_s={preview_s:.2f} publish_s={publish_s:.2f} "
        f"page_preview_s={page_preview_s:.2f} page_publish_s={page_publish_s:.2f}"
    )


def _accuracy(schedule: Path, truth_file: Path) -> tuple[float, float]:
    data = schedule.read_bytes()
    report = import_schedule(data, schedule.name, today=TODAY, published_by="bench")
    for line in report.lines():
        print(line)
    # Pairs from the resolver by data row (each row on its own, so a repeated row is scored too).
    rows = read_schedule(data, schedule.name).rows
    got = {(item.row.number, code) for row in rows for item in resolve_schedule_rows([row])[0] for code in item.codes}
    with truth_file.open(encoding="utf-8-sig", newline="") as handle:
        truth_rows = list(csv.DictReader(handle))
    truth = {(int(r["row"]), r["code"]) for r in truth_rows}
    published = {(s.address_code, s.first_day, s.last_day) for s in db.session.scalars(select(Shutoff))}
    expected = {(r["code"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"])) for r in truth_rows}
    print(f"pairs found={len(got)} truth={len(truth)}; published shutoffs equal the truth: {published == expected}")
    again = import_schedule(data, schedule.name, today=TODAY, published_by="bench")
    print("the same file again: " + again.summary())
    hits = len(got & truth)
    return (hits / len(got) if got else 0.0), (hits / len(truth) if truth else 0.0)


def _clear_schedule() -> None:
    db.session.execute(delete(ShutoffChange))
    db.session.execute(delete(Shutoff))
    db.session.execute(delete(ScheduleBatch))
    db.session.commit()


def _synthetic_files(count: int, moved: int) -> tuple[bytes, bytes]:
    """`count` rows in every wording form over the register's streets; the same file with `moved` rows a week later."""
    rng = random.Random(4)
    index = address_index()
    codes = db.session.scalars(select(Address.street_code).distinct().order_by(Address.street_code))
    streets = [index.street(code) for code in codes]
    reasons = ("Hidrauliniai bandymai", "Vamzdynų remontas", "Šilumos trasos rekonstrukcija")
    rows = []
    for i in range(count):
        parts = [_wording(rng, index, rng.choice(streets)) for _ in range(rng.randint(1, 3))]
        start = TODAY + timedelta(days=100 + i % 150)
        end = start + timedelta(days=rng.randint(0, 3))
        rows.append(["; ".join(parts).replace('"', ""), start, end, reasons[i % 3]])
    later = [list(row) for row in rows]
    for row in rng.sample(later, moved):
        row[1], row[2] = row[1] + timedelta(days=7), row[2] + timedelta(days=7)
    return _csv(rows), _csv(later)


def _csv(rows: list[list]) -> bytes:
    lines = ["Adresai,Pradžia,Pabaiga,Priežastis"]
    lines += [f'"{cell}",{start.isoformat()},{end.isoformat()},{reason}' for cell, start, end, reason in rows]
    return ("\n".join(lines) + "\n").encode()


def _time_republish(first: bytes, moved: bytes) -> tuple[float, float]:
    """Publish the schedule, then time the preview and the publication of its version with rows moved."""
    report = import_schedule(first, "season.csv", today=TODAY, published_by="bench")
    print(f"synthetic, first publication: {report.summary()}; problems={len(report.problems)}")
    for line in report.lines()[2:6]:
        print("  " + line)
    started = time.perf_counter()
    preview = import_schedule(moved, "season-moved.csv", today=TODAY, dry_run=True)
    preview_s = time.perf_counter() - started
    started = time.perf_counter()
    published = import_schedule(
        moved, "season-moved.csv", today=TODAY, published_by="bench", expected_version=preview.schedule_version
    )
    publish_s = time.perf_counter() - started
    print(f"synthetic, re-published with rows moved: {published.summary()}")
    return preview_s, publish_s


def _time_pages(app, first: bytes, moved: bytes) -> tuple[float, float]:
    """The same through /admin as staff use it: upload, open the preview page, press publish (timed)."""
    create_staff_user("bench@vst.lt", STAFF_PASSWORD)
    client = app.test_client()
    client.post("/admin/login", data={"email": "bench@vst.lt", "password": STAFF_PASSWORD})
    import_schedule(first, "season.csv", today=TODAY, published_by="bench")
    form = {"schedule_name": "Pagrindinis grafikas", "new_schedule_name": ""}
    location = client.post(
        "/admin/uploads", data={**form, "schedule_file": (io.BytesIO(moved), "season-moved.csv")}
    ).location
    started = time.perf_counter()
    page = client.get(location)
    page_preview_s = time.perf_counter() - started
    version, cancellations = (_hidden(page.data, name) for name in ("version", "cancellations"))
    print(f"preview page: {len(page.data) / 1e6:.1f} MB of HTML")
    started = time.perf_counter()
    response = client.post(location + "/publish", data={"version": version, "cancellations": cancellations})
    page_publish_s = time.perf_counter() - started
    print(f"publish button: HTTP {response.status_code} → {response.location}")
    return page_preview_s, page_publish_s


def _hidden(html: bytes, name: str) -> str:
    """The value of the publish form's hidden field `name`."""
    return re.search(rb'name="' + name.encode() + rb'"[^>]*value="(\d+)"', html).group(1).decode()


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
