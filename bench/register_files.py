"""Register files (Registrų centras shape) → the matcher's records, for the benchmark scripts."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.addresses.matcher import AddressRecord, StreetRecord
from app.addresses.models import address_label
from app.addresses.register import read_addresses, read_streets


def load_register(directory: Path) -> tuple[list[StreetRecord], list[AddressRecord]]:
    """Streets and addresses of `DIR/adr_gatves.csv` and `DIR/adr_stat_lr.csv`, labelled as the site labels them."""
    streets = {
        s.code: StreetRecord(s.code, s.name, s.type_word, s.type_abbr)
        for s in read_streets(directory / "adr_gatves.csv")
    }
    rows, _ = read_addresses(directory / "adr_stat_lr.csv")
    addresses = [
        AddressRecord(
            a.code,
            a.street_code,
            a.number,
            a.block,
            address_label(streets[a.street_code].name, streets[a.street_code].type_abbr, a.number, a.block),
        )
        for a in rows
        if a.street_code in streets
    ]
    return list(streets.values()), addresses
