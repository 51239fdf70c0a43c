"""Time a building manager's list of 1,000 addresses: resolved, stored and the result page rendered.

Usage: python bench/portfolio.py [--register DIR] [--queries FILE]
A fresh SQLite database gets the register; the address index is built first (as a running worker has it);
some buildings get shutoffs in the coming weeks so the page shows them. Then, timed, twice:
  typed: 1,000 noisy typed lines (the shared queries) pasted into /managers, and the result page;
  xlsx:  a 1,000-row XLSX with separate street, house number and flats columns (as register extracts and
         accountants' sheets have them) made from the register, uploaded, and the result page.
Each timing: POST (read, match every line, store) + GET (render). Goal: each <= 2 s.
Lines: typed rows=1000 resolved=N seconds=0.00 / xlsx rows=1000 resolved=N seconds=0.00
"""

import argparse
import csv
import io
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from sqlalchemy import select

from app import create_app
from app.addresses.lookup import address_index
from app.addresses.models import Address, Street
from app.addresses.register import import_register
from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffKind
from app.timeutil import today_in_vilnius

ROWS = 1000
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries" / "dev_queries.csv")
    args = parser.parse_args()

    with args.queries.open(encoding="utf-8-sig", newline="") as handle:
        queries = [row["query"] for row in csv.DictReader(handle)]
    lines = list(islice(cycle(queries), ROWS))

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite", WTF_CSRF_ENABLED=False)
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            import_register(args.register)
            _add_shutoffs()
            imported = time.perf_counter() - started
            started = time.perf_counter()
            address_index()
            indexed = time.perf_counter() - started

            client = app.test_client()
            typed = _timed(client, {"addresses": "\n".join(lines)})
            workbook = _street_and_number_xlsx(ROWS)
            upload = _timed(client, {"upload": (io.BytesIO(workbook), "namai.xlsx")})

    print(f"register import {imported:.2f} s, index build {indexed:.2f} s (before timing)")
    print(f"xlsx upload: {len(workbook) // 1024} KiB, columns Gatvė | Namo Nr. | Korpusas | Butų sk.")
    for name, (status, html, seconds) in (("typed", typed), ("xlsx", upload)):
        rows = len(re.findall(r'<tr role="row" id="row-', html))
        resolved = len(re.findall(r'class="portfolio-row portfolio-row--(?:found|picked)', html))
        affected = html.count("portfolio-row--affected")
        print(f"{name}: POST+GET {status}, page {len(html) // 1024} KiB, {affected} rows affected soon")
        print(f"{name} rows={rows} resolved={resolved} seconds={seconds:.2f}")


def _timed(client, data: dict) -> tuple[str, str, float]:
    """POST a list to /managers and GET its page: (statuses, page HTML, seconds)."""
    started = time.perf_counter()
    posted = client.post("/managers/", data=data, content_type="multipart/form-data")
    page = client.get(posted.headers["Location"])
    seconds = time.perf_counter() - started
    return f"{posted.status_code}/{page.status_code}", page.get_data(as_text=True), seconds


def _street_and_number_xlsx(count: int) -> bytes:
    """`count` buildings of the register as an accountant's sheet: street, house number (+ block), flats."""
    rng = random.Random(11)
    rows = db.session.execute(select(Street.name, Street.type_abbr, Address.number, Address.block).join(Address.street))
    buildings = rng.sample(list(rows), count)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Gatvė", "Namo Nr.", "Korpusas", "Butų sk."])
    for name, abbr, number, block in buildings:
        sheet.append([f"{name} {abbr}", number, block or None, rng.randrange(8, 120)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_shutoffs() -> None:
    """One building in five gets a shutoff within the coming weeks, as in the season."""
    rng = random.Random(7)
    today = today_in_vilnius()
    codes = list(db.session.scalars(select(Address.code)))
    for code in rng.sample(codes, len(codes) // 5):
        first = today + timedelta(days=rng.randrange(0, 40))
        db.session.add(
            Shutoff(
                address_code=code,
                first_day=first,
                last_day=first + timedelta(days=rng.randrange(0, 4)),
                kind=ShutoffKind.HYDRAULIC_TEST,
            )
        )
    db.session.commit()


if __name__ == "__main__":
    main()
