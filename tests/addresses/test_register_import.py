"""`flask addresses import-register` on small register files written by the tests."""

import pytest
from sqlalchemy import func, select

from app.addresses.models import Address, Street
from app.addresses.recoding import Place, Reason, pair_recoded
from app.addresses.register import import_register, register_size
from app.admin.models import AuditEntry
from app.extensions import db
from app.notifications.models import Channel, Subscription
from app.portfolio.models import Portfolio, PortfolioEntry
from app.timeutil import utcnow
from tests.helpers.subscribers import add_subscriber

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


def test_the_progress_reported_adds_up_to_both_files(app, write_register):
    directory = write_register(STREETS, ADDRESSES)
    reported = []
    import_register(directory, progress=reported.append)
    assert sum(reported) == register_size(directory) == 432


def test_without_a_terminal_only_the_summary_is_printed(runner, write_register):
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    assert result.output.splitlines()[0] == "streets: 2 added, 0 updated, 0 retired"


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
    assert retired is not None
    assert retired.retired_at is not None
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


# ------------------------------------------------------------------------------------------ re-coding


def follow(code: str, contact: str = "ona@example.lt") -> Subscription:
    """A confirmed e-mail subscription following the building `code`."""
    return add_subscriber(Channel.EMAIL, contact, code)


def save_in_a_list(code: str) -> PortfolioEntry:
    portfolio = Portfolio(name="Bendrija", saved_at=utcnow())
    entry = PortfolioEntry(position=1, typed="Žirmūnų 14 k2", status="found", address_code=code)
    portfolio.entries.append(entry)
    db.session.add(portfolio)
    db.session.commit()
    return entry


RECODED = [
    ADDRESSES_HEADER,
    "155000001|13|31003|1100001|12||LT-09100|2011-01-01",
    "155000099|13|31003|1100001|14|2|LT-09100|2026-11-01",  # was 155000003
    "155000004|13|31003|1100002|9||LT-01103|2011-01-01",
    # 155000002 (Žirmūnų g. 12A) retired with no building in its place
]


def test_a_recoded_building_keeps_its_subscribers_lists_and_shutoffs(runner, write_register, client, make_shutoff):
    runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    subscription = follow("155000003")
    entry = save_in_a_list("155000003")
    shutoff = make_shutoff(db.session.get(Address, "155000003"), starts_in=5)
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, RECODED, name="new"))])
    assert result.exit_code == 0, result.output
    assert (
        "re-coded buildings followed to their new code: 1 (subscriptions moved: 1, saved-list entries moved: 1, "
        "shutoffs moved: 1)" in result.output
    )
    assert db.session.get(Subscription, subscription.id).address_codes == ["155000099"]
    assert db.session.get(PortfolioEntry, entry.id).address_code == "155000099"
    answer = client.get("/api/v1/addresses/155000099").json
    assert answer["address"]["label"] == "Žirmūnų g. 14 K2"
    assert [s["start"] for s in answer["shutoffs"]] == [shutoff.first_day.isoformat()]


def test_a_retired_building_with_followers_and_no_successor_is_listed_for_staff(runner, write_register):
    runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    follow("155000002")
    result = runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, RECODED, name="new"))])
    assert "retired codes that could not be followed (listed in the audit log): 1" in result.output
    assert (
        "155000002 Žirmūnų g. 12A: 1 subscription(s), 0 saved-list entry(ies), 0 coming shutoff(s) left — "
        "no new code at the same street, number and block" in result.output
    )
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "register-unfollowed")).all()
    assert [e.detail for e in entries] == [
        "Panaikintas pastato kodas 155000002 (Žirmūnų g. 12A): tuo pačiu adresu (gatvė, numeris, korpusas) naujo "
        "kodo nėra. Liko prenumeratų: 1, valdytojų sąrašų eilučių: 0, būsimų išjungimų: 0. Patikrinkite juos."
    ]


def test_a_building_recoded_with_its_street_is_followed_too(runner, write_register):
    runner.invoke(args=["addresses", "import-register", str(write_register(STREETS, ADDRESSES))])
    subscription = follow("155000004")
    streets = [*STREETS[:2], "1100009|31003|prospektas|pr.|Gedimino|2026-11-01"]  # 1100002 re-coded
    addresses = [*ADDRESSES[:4], "155000098|13|31003|1100009|9||LT-01103|2026-11-01"]
    result = runner.invoke(args=["addresses", "import-register", str(write_register(streets, addresses, name="new"))])
    assert "re-coded buildings followed to their new code: 1 (subscriptions moved: 1" in result.output
    assert db.session.get(Subscription, subscription.id).address_codes == ["155000098"]


def test_recoding_pairs_only_one_old_with_one_new_code_at_the_same_place():
    def place(street: str, number: str, block: str = "") -> Place:
        return Place(street, "Žirmūnų", "g.", number, block)

    pairs, orphans = pair_recoded(
        retired={"1": place("11", "14", "2"), "2": place("11", "16"), "3": place("11", "18"), "4": place("12", "1")},
        added={"91": place("11", "14", "2"), "92": place("11", "18"), "93": place("11", "18"), "94": place("13", "1")},
        street_successors={"12": "13"},
    )
    assert pairs == {"1": "91", "4": "94"}
    assert orphans == {"2": Reason.NO_SUCCESSOR, "3": Reason.SEVERAL}
