"""Time a building manager's list of 1,000 addresses: resolved, stored and the result page rendered.

Usage: python bench/portfolio.py [--register DIR] [--queries FILE]
A fresh SQLite database gets the register; the address index is built first (as a running worker has it);
some buildings get shutoffs in the coming weeks so the page shows them. Then, timed: POST the list to
/managers (parse, match every line, store) and GET the result page.
Last line: rows=1000 resolved=N seconds=0.00
"""

import argparse
import csv
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from app import create_app
from app.addresses.lookup import address_index
from app.addresses.models import Address
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
            started = time.perf_counter()
            posted = client.post("/managers/", data={"addresses": "\n".join(lines)})
            page = client.get(posted.headers["Location"])
            seconds = time.perf_counter() - started

    html = page.get_data(as_text=True)
    rows = len(re.findall(r'<tr id="row-', html))
    resolved = len(re.findall(r'class="portfolio-row portfolio-row--(?:found|picked)', html))
    affected = html.count("portfolio-row--affected")
    print(f"register import {imported:.2f} s, index build {indexed:.2f} s (before timing)")
    print(f"POST {posted.status_code}, page {page.status_code}, {len(html) // 1024} KiB, {affected} rows affected soon")
    print(f"rows={rows} resolved={resolved} seconds={seconds:.2f}")


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
