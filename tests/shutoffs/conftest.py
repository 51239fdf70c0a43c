"""A small register and a schedule-file writer for the import tests."""

import pytest

from app.addresses.models import Address, Street
from app.extensions import db

HEADER = "Adresai,Pradžia,Pabaiga,Priežastis"


@pytest.fixture
def register(make_street, make_address) -> dict[str, Street]:
    """Žirmūnų g. 1–20 (+8A, 12A, 16A), Liepų al. 2–12, Povilo Alšėniškio g. 1–5, Konduktorių g. 1–9."""
    streets = {
        "zirmunu": make_street("Žirmūnų", "g."),
        "liepu": make_street("Liepų", "al.", type_word="alėja"),
        "alseniskio": make_street("Povilo Alšėniškio", "g."),
        "konduktoriu": make_street("Konduktorių", "g."),
    }
    numbers = {
        "zirmunu": [str(n) for n in range(1, 21)] + ["8A", "12A", "16A"],
        "liepu": [str(n) for n in range(2, 13)],
        "alseniskio": [str(n) for n in range(1, 6)],
        "konduktoriu": [str(n) for n in range(1, 10)],
    }
    for key, houses in numbers.items():
        for i, number in enumerate(houses):
            db.session.add(Address(code=f"{streets[key].code}{i:03d}", street=streets[key], number=number))
    db.session.commit()
    make_address(streets["zirmunu"], "21")  # through the factory once, so the index is rebuilt
    return streets


@pytest.fixture
def schedule_file(tmp_path):
    """schedule_file(rows, header=HEADER, encoding="utf-8", name="grafikas.csv") → path of a written CSV."""

    def write(rows: list[str], header: str = HEADER, encoding: str = "utf-8", name: str = "grafikas.csv"):
        path = tmp_path / name
        path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
        return path

    return write
