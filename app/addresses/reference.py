"""Reference data the matcher is built with, read from the project's `data/` folder (each row cites its source).

- `data/street_aliases.csv` (alias, language, street, source): Polish and Russian names of Vilnius streets
  and their former names, keyed by the official name with its type abbreviation (`Gedimino pr.`), so the
  table fits any register whatever its codes.
- `data/lithuanian_places.csv` (name, kind, written, language, source): cities, towns and municipalities
  other than Vilnius city, as written in Lithuanian, Russian and Polish.
"""

import csv
from functools import cache
from pathlib import Path

from app.addresses.matcher import Place, StreetAlias

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
STREET_ALIASES = DATA_DIR / "street_aliases.csv"
PLACES = DATA_DIR / "lithuanian_places.csv"


def read_street_aliases(path: Path = STREET_ALIASES) -> tuple[StreetAlias, ...]:
    """Every row of an aliases file; raises FileNotFoundError / KeyError (a missing column) on a broken file."""
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(StreetAlias(row["alias"], row["street"], row["language"]) for row in csv.DictReader(f))


def read_places(path: Path = PLACES) -> tuple[Place, ...]:
    """Every row of a places file as (official name, one written form)."""
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(Place(row["name"], row["written"]) for row in csv.DictReader(f))


@cache
def street_aliases() -> tuple[StreetAlias, ...]:
    """The project's alias table, read once per process."""
    return read_street_aliases()


@cache
def places() -> tuple[Place, ...]:
    """The project's table of other places, read once per process."""
    return read_places()
