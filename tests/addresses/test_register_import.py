"""`flask addresses import-register` on small register files written by the tests."""

import pytest
from sqlalchemy import func, select

from app.addresses.models import Address, Street
from app.extensions import db

STREETS_HEADER = "GAT_KODAS|GYV_KODAS|TIPAS|TIPO_SANTRUMPA|VARDAS_K|GAT_NUO"
ADDRESSES_HEADER = "AOB_KODAS|SAV_KODAS|GYV_KODAS|GAT_KODAS|NR|KORPUSO_NR|PASTO_KODAS|AOB_NUO"
STREETS = [
    STREETS_HEADER,
    "1100001|31003|gatvė|g.|Žirmūnų|2011-01-01",
    "1100002|31003|prospektas|pr.|Gedimino|2011-01-01",
]
ADDRESSES = [
    ADDRESSES_HEADER,
    "155000001|13|31003|1100001|12||LT-09100|2011-01-01",
    "155000002|13|31003|1100001|12A||LT-09100|2011-01-01",
    "155000003|13|31003|1100001|14|2|LT-09100|2011-01-01",
    "155000004|13|31003|1100002|9||LT-01103|2011-01-01",
]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_loads_streets_and_addresses_with_canonical_labels(runner, write_register):
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    assert result.exit_code == 0, result.output
    assert "streets: 2 added" in result.output
    assert "addresses: 4 added" in result.output
    labels = sorted(a.label for a in db.session.scalars(select(Address)))
    assert labels == ["Gedimino pr. 9", "Žirmūnų g. 12", "Žirmūnų g. 12A", "Žirmūnų g. 14 K2"]


def test_second_import_of_the_same_files_changes_nothing(runner, write_register):
    directory = write_register(STREETS, ADDRESSES)
    runner.invoke(args=["addresses", "import-register", str(directory)])
    result = runner.invoke(args=["addresses", "import-register", str(directory)])
    assert "streets: 0 added, 0 updated, 0 retired" in result.output
    assert "addresses: 0 added, 0 updated, 0 retired" in result.output


def test_newer_extract_adds_updates_and_retires_without_deleting(runner, write_register):
    runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    newer = [
        ADDRESSES_HEADER,
        "155000001|13|31003|1100001|12||LT-09101|2011-01-01",  # postcode changed
        "155000002|13|31003|1100001|12A||LT-09100|2011-01-01",
        "155000004|13|31003|1100002|9||LT-01103|2011-01-01",
        "155000005|13|31003|1100002|11||LT-01103|2011-01-01",  # new; 155000003 vanished
    ]
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, newer, name="newer"))])
    assert "addresses: 1 added, 1 updated, 1 retired" in result.output
    retired = db.session.get(Address, "155000003")
    assert retired is not None and retired.retired_at is not None
    assert db.session.get(Address, "155000001").postcode == "LT-09101"


def test_bom_crlf_extra_columns_and_other_municipalities_are_handled(runner, tmp_path):
    directory = tmp_path / "official"
    directory.mkdir()
    (directory / "adr_gatves.csv").write_bytes(
        "\ufeffGAT_KODAS|GYV_KODAS|TIPAS|TIPO_SANTRUMPA|VARDAS_K|GAT_NUO|EXTRA\r\n"
        "1100001|31003|gatvė|g.|Žirmūnų|2011-01-01|x\r\n".encode()
    )
    (directory / "adr_stat_lr.csv").write_bytes(
        "\ufeffNR|AOB_KODAS|SAV_KODAS|GYV_KODAS|GAT_KODAS|KORPUSO_NR|PASTO_KODAS|AOB_NUO|EXTRA\r\n"
        "12|155000001|13|31003|1100001||LT-09100|2011-01-01|x\r\n"
        "3|155000009|19|40000|1100001||LT-00000|2011-01-01|x\r\n".encode()
    )
    result = runner.invoke(args=["addresses", "import-register", str(directory)])
    assert result.exit_code == 0, result.output
    assert count(Address) == 1
    assert "rows outside Vilnius city skipped: 1" in result.output


@pytest.mark.parametrize(
    ("streets", "addresses", "message"),
    [
        (
            [STREETS_HEADER.replace("|VARDAS_K", ""), "1100001|31003|gatvė|g.|2011-01-01"],
            ADDRESSES[:2],
            "adr_gatves.csv, line 1, column VARDAS_K: required column missing",
        ),
        (
            STREETS,
            [*ADDRESSES[:2], "155000002|13|31003|1100001"],
            "adr_stat_lr.csv, line 3: expected 8 fields, found 4",
        ),
        (
            STREETS,
            [*ADDRESSES[:2], "155000002|13|31003|1100001|dvylika||LT-09100|2011-01-01"],
            "adr_stat_lr.csv, line 3, column NR: not a house number",
        ),
        (
            STREETS,
            [*ADDRESSES[:2], "ABC|13|31003|1100001|5||LT-09100|2011-01-01"],
            "adr_stat_lr.csv, line 3, column AOB_KODAS: not a register code",
        ),
        (
            STREETS,
            [*ADDRESSES[:2], "155000002|13|31003|1100001|5||LT-09100|25-01-2011"],
            "adr_stat_lr.csv, line 3, column AOB_NUO: not a date",
        ),
        (
            STREETS,
            [*ADDRESSES[:2], "155000002|13|31003|1199999|5||LT-09100|2011-01-01"],
            "names unknown street 1199999",
        ),
    ],
)
def test_broken_register_file_is_named_and_nothing_is_written(runner, write_register, streets, addresses, message):
    result = runner.invoke(args=["addresses", "import-register", str(write_register(streets, addresses))])
    assert result.exit_code != 0
    assert message in result.output
    assert "nothing was changed" in result.output
    assert count(Street) == 0
    assert count(Address) == 0


def test_broken_newer_extract_leaves_the_previous_register_untouched(runner, write_register):
    runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    broken = [*ADDRESSES, "155000005|13|31003|1100002|oops||LT-01103|2011-01-01"]
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, broken, name="b"))])
    assert result.exit_code != 0
    assert count(Address) == 4


def test_file_that_is_not_utf8_is_refused(runner, write_register):
    result = runner.invoke(
        args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES, encoding="utf-16"))]
    )
    assert result.exit_code != 0
    assert "not UTF-8" in result.output or "required column missing" in result.output
    assert count(Street) == 0
