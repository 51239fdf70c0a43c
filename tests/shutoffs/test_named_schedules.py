"""Named schedules, identity that survives edits, work numbers and `Būsena`, through `flask shutoffs import`."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.addresses.models import Street
from app.extensions import db
from app.shutoffs.importer import import_schedule
from app.shutoffs.models import Schedule, Shutoff

TODAY = date(2030, 1, 1)
NUMBERED = "Nr.,Adresai,Pradžia,Pabaiga,Priežastis"
WITH_STATUS = "Adresai,Pradžia,Pabaiga,Priežastis,Būsena"


def code(street: Street, number: str) -> str:
    return next(a.code for a in street.addresses if a.number == number)


def run(runner, path, *args):
    return runner.invoke(args=["shutoffs", "import", str(path), *args])


def published(schedule: str = "Pagrindinis grafikas") -> list[tuple[str, str, date, date, str]]:
    """(address code, status, first day, last day, work key) of a schedule's shutoffs, in that order."""
    rows = db.session.execute(
        select(Shutoff.address_code, Shutoff.status, Shutoff.first_day, Shutoff.last_day, Shutoff.work_key)
        .join(Shutoff.schedule)
        .where(Schedule.name == schedule)
        .order_by(Shutoff.address_code, Shutoff.first_day)
    )
    return [(c, str(status), first, last, key) for c, status, first, last, key in rows]


def test_without_schedule_the_file_goes_into_the_default_schedule(runner, register, schedule_file):
    result = run(runner, schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"]))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Grafikas „Pagrindinis grafikas“"
    assert db.session.scalars(select(Schedule.name)).all() == ["Pagrindinis grafikas"]
    assert published() == [
        (code(register["zirmunu"], "2"), "planned", date(2030, 5, 10), date(2030, 5, 11), "kind:hydraulic_test")
    ]


def test_schedules_never_touch_each_other(runner, register, schedule_file):
    zirmunu = schedule_file(["Žirmūnų g. 2–3,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="a.csv")
    run(runner, zirmunu)
    repairs = schedule_file(["Žirmūnų g. 3,2030-07-01,2030-07-01,Hidrauliniai bandymai"], name="b.csv")
    result = run(runner, repairs, "--schedule", "Remontai", "--cancel-missing")
    assert result.exit_code == 0, result.output
    assert "naujų: 1, perkeltų: 0, atšauktų: 0, nepakitusių: 0" in result.output
    assert [(c, s, first) for c, s, first, _last, _key in published()] == [
        (code(register["zirmunu"], "2"), "planned", date(2030, 5, 10)),
        (code(register["zirmunu"], "3"), "planned", date(2030, 5, 10)),
    ]
    assert [(c, s, first) for c, s, first, _last, _key in published("Remontai")] == [
        (code(register["zirmunu"], "3"), "planned", date(2030, 7, 1))
    ]


@pytest.mark.parametrize(("name", "message"), [("", "Įveskite grafiko pavadinimą."), ("a\nb", "valdymo simbolių")])
def test_a_schedule_name_that_cannot_be_used_is_refused(runner, register, schedule_file, name, message):
    result = run(
        runner, schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"]), "--schedule", name
    )
    assert result.exit_code == 2
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(Schedule)) == 0


def test_each_publication_moves_the_schedules_version_on(app, register, schedule_file):
    path = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"])
    for expected in (1, 2):
        import_schedule(path.read_bytes(), path.name, today=TODAY)
        assert db.session.scalar(select(Schedule.version)) == expected
    assert import_schedule(path.read_bytes(), path.name, today=TODAY, dry_run=True).schedule_version == 2


def test_fixing_a_rows_spelling_or_adding_a_house_changes_nothing_for_the_buildings_already_there(
    app, register, schedule_file
):
    first = schedule_file(['"Žirmūnų g. 2, 4",2030-05-10,2030-05-11,Hidrauliniai bandymai'], name="a.csv")
    import_schedule(first.read_bytes(), "a.csv", today=TODAY)
    fixed = schedule_file(['"Zirmunu g. Nr. 2, 4, 6",2030-05-10,2030-05-11,Hidrauliniai bandymai'], name="b.csv")
    report = import_schedule(fixed.read_bytes(), "b.csv", today=TODAY)
    assert (report.new, report.moved, report.cancelled, report.unchanged) == (1, 0, 0, 2)
    assert {status for _c, status, *_ in published()} == {"planned"}


def test_a_building_with_the_same_kind_of_work_twice_moves_the_one_nearest_to_the_new_dates(
    app, register, schedule_file
):
    season = schedule_file(
        [
            "Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai",
            "Žirmūnų g. 2,2030-08-10,2030-08-11,Hidrauliniai bandymai",
        ],
        name="a.csv",
    )
    import_schedule(season.read_bytes(), "a.csv", today=TODAY)
    august_moved = schedule_file(["Žirmūnų g. 2,2030-08-20,2030-08-21,Hidrauliniai bandymai"], name="b.csv")
    report = import_schedule(august_moved.read_bytes(), "b.csv", today=TODAY)
    assert (report.new, report.moved, report.missing) == (0, 1, 1)
    assert [(status, first) for _c, status, first, _l, _k in published()] == [
        ("planned", date(2030, 5, 10)),
        ("moved", date(2030, 8, 20)),
    ]


def test_with_work_numbers_each_numbered_work_is_its_own_shutoff(app, register, schedule_file):
    first = schedule_file(
        [
            "A-1,Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai",
            "A-2,Žirmūnų g. 2,2030-05-20,2030-05-21,Hidrauliniai bandymai",
        ],
        header=NUMBERED,
        name="a.csv",
    )
    import_schedule(first.read_bytes(), "a.csv", today=TODAY)
    # A-2 moves into May 10's place and A-1 to June: by number, not by nearest dates.
    swapped = schedule_file(
        [
            "A-2,Žirmūnų g. 2 (visi),2030-05-10,2030-05-11,Hidrauliniai bandymai",
            "A-1,Žirmūnų g. Nr. 2,2030-06-01,2030-06-02,Hidrauliniai bandymai",
        ],
        header=NUMBERED.replace("Nr.", "Darbo Nr."),
        name="b.csv",
    )
    report = import_schedule(swapped.read_bytes(), "b.csv", today=TODAY)
    assert (report.new, report.moved, report.unchanged) == (0, 2, 0)
    assert [(first, key) for _c, _s, first, _l, key in published()] == [
        (date(2030, 5, 10), "nr:A-2"),
        (date(2030, 6, 1), "nr:A-1"),
    ]


def test_a_file_that_starts_numbering_its_work_keeps_the_shutoffs_it_had(app, register, schedule_file):
    plain = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="a.csv")
    import_schedule(plain.read_bytes(), "a.csv", today=TODAY)
    numbered = schedule_file(
        ["17,Žirmūnų g. 2,2030-05-12,2030-05-13,Hidrauliniai bandymai"], header="ID" + NUMBERED[3:], name="b.csv"
    )
    report = import_schedule(numbered.read_bytes(), "b.csv", today=TODAY)
    assert (report.new, report.moved) == (0, 1)
    assert [(first, key) for _c, _s, first, _l, key in published()] == [(date(2030, 5, 12), "nr:17")]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([",Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"], "Eilutė 2: Nenurodytas darbo numeris"),
        (
            [
                "7,Žirmūnų g. 2–3,2030-05-10,2030-05-11,Hidrauliniai bandymai",
                "7,Žirmūnų g. 3,2030-06-10,2030-06-11,Hidrauliniai bandymai",
            ],
            "Eilutė 3: Žirmūnų g. 3 su darbo Nr. 7 jau yra eilutėje 2",
        ),
    ],
)
def test_a_numbered_file_needs_each_building_once_per_work_number(runner, register, schedule_file, rows, message):
    result = run(runner, schedule_file(rows, header=NUMBERED))
    assert result.exit_code != 0
    assert message in result.output
    assert published() == []


def test_a_row_marked_atsaukta_cancels_what_it_names(runner, register, schedule_file):
    run(runner, schedule_file(["Žirmūnų g. 2–3,2030-05-10,2030-05-11,Hidrauliniai bandymai,"], header=WITH_STATUS))
    cancel = schedule_file(["Žirmūnų g. 3,2030-05-10,2030-05-11,Hidrauliniai bandymai,ATŠAUKTA"], header=WITH_STATUS)
    result = run(runner, cancel)
    assert result.exit_code == 0, result.output
    assert "naujų: 0, perkeltų: 0, atšauktų: 1, nepakitusių: 0" in result.output
    assert "  Žirmūnų g. 3  2030-05-10 – 2030-05-11  (row 2)" in result.output
    assert [status for _c, status, *_ in published()] == ["planned", "cancelled"]
    again = run(runner, cancel)
    assert "atšauktų: 0, nepakitusių: 1" in again.output  # already cancelled: nothing more to do


def test_a_cancelled_shutoff_named_again_is_planned_again(app, register, schedule_file):
    row = "Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"
    for status in ("", "atšaukta", "planuojama"):
        path = schedule_file([f"{row},{status}"], header=WITH_STATUS)
        import_schedule(path.read_bytes(), path.name, today=TODAY)
    assert [status for _c, status, *_ in published()] == ["planned"]


def test_an_unknown_status_is_a_row_problem(runner, register, schedule_file):
    result = run(runner, schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Remontas,gal būt"], header=WITH_STATUS))
    assert result.exit_code != 0
    assert "Eilutė 2: Nežinoma būsena „gal būt“ (tinka: tuščia arba „atšaukta“)" in result.output


def test_work_that_already_ended_is_history_a_new_date_for_it_is_new_work(app, register, schedule_file):
    spring = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="a.csv")
    import_schedule(spring.read_bytes(), "a.csv", today=TODAY)
    autumn = schedule_file(["Žirmūnų g. 2,2030-09-10,2030-09-11,Hidrauliniai bandymai"], name="b.csv")
    report = import_schedule(autumn.read_bytes(), "b.csv", today=date(2030, 6, 1), cancel_missing=True)
    assert (report.new, report.moved, report.cancelled, report.missing) == (1, 0, 0, 0)
    assert [(status, first) for _c, status, first, _l, _k in published()] == [
        ("planned", date(2030, 5, 10)),
        ("planned", date(2030, 9, 10)),
    ]


def test_a_shutoff_made_without_a_schedule_belongs_to_the_default_one(app, register):
    for number in ("2", "3"):
        db.session.add(
            Shutoff(address_code=code(register["zirmunu"], number), first_day=TODAY, last_day=TODAY, kind="repair")
        )
    db.session.commit()
    assert db.session.scalars(select(Schedule.name)).all() == ["Pagrindinis grafikas"]
    assert [c for c, *_ in published()] == [code(register["zirmunu"], "2"), code(register["zirmunu"], "3")]
