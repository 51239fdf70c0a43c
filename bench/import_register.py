"""Time `import-register` of a register directory into a fresh SQLite database.

Usage: python bench/import_register.py [../shared/data/vilnius-register]
Last line: streets=N addresses=N seconds=0.00 (the first import); a second import is timed too.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from app import create_app
from app.addresses.models import Address, Street
from app.addresses.register import import_register
from app.extensions import db


def main() -> None:
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/vilnius-register")
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite")
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            first = import_register(directory)
            first_seconds = time.perf_counter() - started
            started = time.perf_counter()
            second = import_register(directory)
            second_seconds = time.perf_counter() - started
            streets = db.session.scalar(select(func.count()).select_from(Street))
            addresses = db.session.scalar(select(func.count()).select_from(Address))
    print("first import: " + "; ".join(first.lines()))
    print(f"second import ({second_seconds:.2f} s): " + "; ".join(second.lines()))
    print(f"streets={streets} addresses={addresses} seconds={first_seconds:.2f}")


if __name__ == "__main__":
    main()
