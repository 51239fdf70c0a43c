"""`flask shutoffs import`: read, resolve, publish, correct — and write nothing when a row is wrong."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from app.addresses.models import Street
from app.datacache import DataVersion
from app.extensions import db
from app.shutoffs.importer import ImportReport, StalePreview, import_schedule
from app.shutoffs.models import Schedule, ScheduleBatch, Shutoff, ShutoffChange, ShutoffKind, ShutoffStatus

TODAY = date(2030, 1, 1)


def codes_of(street: Street, *numbers: str) -> set[str]:
    return {a.code for a in street.addresses if a.number in numbers}


def shutoffs() -> list[Shutoff]:
    return list(db.session.scalars(select(Shutoff).order_by(Shutoff.address_code, Shutoff.first_day)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def run(runner, path, *args):
    return runner.invoke(args=["shutoffs", "import", str(path), *args])


def test_a_schedule_publishes_one_shutoff_per_covered_address(runner, register, schedule_file):
    path = schedule_file(
        [
            '"Žirmūnų g. 2, 4, 8A; Liepų al. 4–8",2030-05-10,2030-05-11,Hidrauliniai bandymai',
            "P. Alšėniškio g. (visi),2030-06-01,2030-06-03,Vamzdynų remontas",
            "Konduktorių g. 2–8 (poriniai),2030.06.10,2030.06.10,Šilumos trasos rekonstrukcija",
        ]
    )
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "Eilučių: 3, adresų: 17; naujų: 17, perkeltų: 0, atšauktų: 0, nepakitusių: 0" in result.output
    published = shutoffs()
    assert {s.address_code for s in published if s.kind == ShutoffKind.HYDRAULIC_TEST} == codes_of(
        register["zirmunu"], "2", "4", "8A"
    ) | codes_of(register["liepu"], "4", "5", "6", "7", "8")
    assert {s.address_code for s in published if s.kind == ShutoffKind.REPAIR} == codes_of(
        register["alseniskio"], "1", "2", "3", "4", "5"
    )
    even = [s for s in published if s.kind == ShutoffKind.RECONSTRUCTION]
    assert {s.address_code for s in even} == codes_of(register["konduktoriu"], "2", "4", "6", "8")
    assert {(s.first_day, s.last_day) for s in even} == {(date(2030, 6, 10), date(2030, 6, 10))}
    assert all(s.status == ShutoffStatus.PLANNED and s.batch_id for s in published)
    assert db.session.get(DataVersion, "schedule").version == 1


def test_a_dry_run_shows_the_summary_and_writes_nothing(runner, register, schedule_file):
    path = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"])
    result = run(runner, path, "--dry-run")
    assert result.exit_code == 0
    assert "naujų: 1" in result.output
    assert "nothing was changed" in result.output
    assert count(Shutoff) == 0
    assert count(ScheduleBatch) == 0


def test_importing_the_same_file_twice_changes_nothing(runner, register, schedule_file):
    path = schedule_file(['"Žirmūnų g. 2, 4; Liepų al. 4–6",2030-05-10,2030-05-11,Hidrauliniai bandymai'])
    run(runner, path)
    result = run(runner, path)
    assert result.exit_code == 0
    assert "naujų: 0, perkeltų: 0, atšauktų: 0, nepakitusių: 5" in result.output
    assert count(Shutoff) == 5
    assert count(ShutoffChange) == 0


def test_a_corrected_schedule_moves_dates_and_leaves_rows_it_dropped_as_they_are(runner, register, schedule_file):
    run(
        runner,
        schedule_file(
            [
                "Žirmūnų g. 2–4,2030-05-10,2030-05-11,Hidrauliniai bandymai",
                "Liepų al. 2,2030-05-12,2030-05-12,Vamzdynų remontas",
            ]
        ),
    )
    result = run(runner, schedule_file(["Žirmūnų g. 2–4,2030-05-20,2030-05-22,Hidrauliniai bandymai"]))
    assert result.exit_code == 0, result.output
    assert "naujų: 0, perkeltų: 3, atšauktų: 0, nepakitusių: 0" in result.output
    assert "1 skelbiamas išjungimas faile nepaminėtas: jis lieka, koks buvo." in result.output
    by_code = {s.address_code: s for s in shutoffs()}
    left_alone = by_code[next(iter(codes_of(register["liepu"], "2")))]
    assert (left_alone.status, left_alone.changes) == (ShutoffStatus.PLANNED, [])
    moved = by_code[next(iter(codes_of(register["zirmunu"], "3")))]
    assert (moved.status, moved.first_day, moved.last_day) == (
        ShutoffStatus.MOVED,
        date(2030, 5, 20),
        date(2030, 5, 22),
    )
    assert [(c.status, c.previous_first_day, c.first_day) for c in moved.changes] == [
        (ShutoffStatus.MOVED, date(2030, 5, 10), date(2030, 5, 20))
    ]
    assert count(Shutoff) == 4  # nothing duplicated, nothing deleted


def test_cancel_missing_cancels_exactly_the_shutoffs_it_lists(runner, register, schedule_file):
    run(
        runner,
        schedule_file(
            [
                "Žirmūnų g. 2–3,2030-05-10,2030-05-11,Hidrauliniai bandymai",
                "Liepų al. 2,2030-05-12,2030-05-12,Vamzdynų remontas",
            ]
        ),
    )
    partial = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="b.csv")
    dry = run(runner, partial, "--cancel-missing", "--dry-run")
    assert dry.output.splitlines()[2:] == [
        "To cancel (2):",
        "  Žirmūnų g. 3  2030-05-10 – 2030-05-11  (not in the file)",
        "  Liepų al. 2  2030-05-12 – 2030-05-12  (not in the file)",
        "Dry run: nothing was changed.",
    ]
    assert {s.status for s in shutoffs()} == {ShutoffStatus.PLANNED}
    result = run(runner, partial, "--cancel-missing")
    assert result.exit_code == 0, result.output
    assert "Cancelled (2):" in result.output
    by_code = {s.address_code: s.status for s in shutoffs()}
    assert by_code == {
        next(iter(codes_of(register["zirmunu"], "2"))): ShutoffStatus.PLANNED,
        next(iter(codes_of(register["zirmunu"], "3"))): ShutoffStatus.CANCELLED,
        next(iter(codes_of(register["liepu"], "2"))): ShutoffStatus.CANCELLED,
    }


def test_overlapping_rows_give_an_address_several_shutoffs(runner, register, schedule_file):
    result = run(
        runner,
        schedule_file(
            [
                "Žirmūnų g. 2–4,2030-05-10,2030-05-11,Hidrauliniai bandymai",
                "Žirmūnų g. 4,2030-07-01,2030-07-02,Vamzdynų remontas",
            ]
        ),
    )
    assert result.exit_code == 0
    four = codes_of(register["zirmunu"], "4")
    assert len([s for s in shutoffs() if s.address_code in four]) == 2


def test_shutoffs_that_already_ended_are_not_cancelled_by_a_later_file(app, register, schedule_file):
    first = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="a.csv")
    import_schedule(first.read_bytes(), "a.csv", today=TODAY)
    second = schedule_file(["Žirmūnų g. 3,2030-07-10,2030-07-11,Hidrauliniai bandymai"], name="b.csv")
    report = import_schedule(second.read_bytes(), "b.csv", today=date(2030, 6, 1))
    assert (report.new, report.cancelled) == (1, 0)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Žirmūnų g. 2,2030-13-01,2030-05-11,Hidrauliniai bandymai", "Pradžia: „2030-13-01“ nėra data"),
        ("Žirmūnų g. 2,10/05/2030,2030-05-11,Hidrauliniai bandymai", "nėra data (MMMM-MM-DD arba MMMM.MM.DD)"),
        ("Žirmūnų g. 2,2030-05-10,,Hidrauliniai bandymai", "Pabaiga: „—“ nėra data"),
        ("Žirmūnų g. 2,2030-05-10,2030-05-01,Hidrauliniai bandymai", "Pabaiga (2030-05-01) ankstesnė už pradžią"),
        ("Žirmūnų g. 2,2030-05-10,2030-05-11,Valymas", "Nežinoma priežastis „Valymas“"),
        ("Marsiečių g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai", "Gatvė „Marsiečių g.“ nerasta"),
        ("Žirmūnų g. 17C,2030-05-10,2030-05-11,Hidrauliniai bandymai", "Žirmūnų g. Nr. 17C nerastas"),
        ("Žirmūnų g. 30–40,2030-05-10,2030-05-11,Hidrauliniai bandymai", "intervale 30–40 nėra nė vieno namo"),
        ("Liepų al. 12–4,2030-05-10,2030-05-11,Hidrauliniai bandymai", "Tuščias intervalas 12–4"),
        (",2030-05-10,2030-05-11,Hidrauliniai bandymai", "Nenurodyti adresai"),
    ],
)
def test_a_wrong_row_is_reported_with_its_line_and_nothing_is_written(runner, register, schedule_file, row, message):
    path = schedule_file(["Liepų al. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai", row])
    result = run(runner, path)
    assert result.exit_code != 0
    assert "Eilutė 3: " in result.output
    assert message in result.output
    assert "nothing was changed" in result.output
    assert count(Shutoff) == 0
    assert count(ScheduleBatch) == 0


@pytest.mark.parametrize(
    ("street", "suggestion"),
    [
        ("Žirmų g.", "Žirmūnų g."),  # a typo: not certain
        ("Liepų g.", "Liepų al."),  # the register has an alley, not a street
        ("Z. Alšėniškio g.", "Povilo Alšėniškio g."),  # another initial
    ],
)
def test_a_street_that_is_not_certain_is_an_error_with_suggestions(runner, register, schedule_file, street, suggestion):
    result = run(runner, schedule_file([f"{street} 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"]))
    assert result.exit_code != 0
    assert f"Eilutė 2: Gatvė „{street}“" in result.output
    assert f"gal: {suggestion}" in result.output
    assert count(Shutoff) == 0


def test_a_duplicated_row_is_an_error(runner, register, schedule_file):
    row = "Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"
    result = run(runner, schedule_file([row, row]))
    assert result.exit_code != 0
    assert "Eilutė 3: Kartoja eilutę 2" in result.output
    assert count(Shutoff) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Failas tuščias"),
        (b"name,email\nJonas,jonas@example.com\n", "Tai ne grafikas"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą."),
        (b"PK\x03\x04garbage", "XLSX failas sugadintas arba tai ne XLSX."),
    ],
)
def test_a_file_that_is_not_a_schedule_is_refused_whole(runner, register, tmp_path, content, message):
    path = tmp_path / "kazkas.csv"
    path.write_bytes(content)
    result = run(runner, path)
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was changed" in result.output
    assert count(ScheduleBatch) == 0


@pytest.mark.parametrize(
    ("header", "delimiter", "encoding"),
    [
        ("Adresai,Pradžia,Pabaiga,Priežastis", ",", "utf-8-sig"),
        ("Adresai;Pradžia;Pabaiga;Priežastis", ";", "utf-8"),
        ("Adresai;Pradžia;Pabaiga;Priežastis", ";", "cp1257"),
        ("Addresses,Start,End,Reason", ",", "utf-8"),
        ("ADRESAI;Pradžios data;Pabaigos data;Priežastis", ";", "utf-8"),
    ],
)
def test_csv_as_excel_writes_it_is_read(runner, register, schedule_file, header, delimiter, encoding):
    row = delimiter.join(["Žirmūnų g. 2–4", "2030-05-10", "2030-05-11 00:00:00", "Vamzdynų remontas"])
    result = run(runner, schedule_file([row], header=header, encoding=encoding))
    assert result.exit_code == 0, result.output
    assert count(Shutoff) == 3
    assert {s.kind for s in shutoffs()} == {ShutoffKind.REPAIR}


def test_a_title_line_above_the_header_is_skipped(runner, register, schedule_file):
    header = "Karšto vandens išjungimų grafikas, 2030 m.\nAdresai;Pradžia;Pabaiga;Priežastis"
    result = run(runner, schedule_file(["Žirmūnų g. 2;2030-05-10;2030-05-11;Vamzdynų remontas"], header=header))
    assert result.exit_code == 0, result.output
    assert "Eilučių: 1, adresų: 1" in result.output


def test_an_xlsx_schedule_with_real_dates_and_a_note_is_read(runner, register, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Adresai", "Pradžia", "Pabaiga", "Priežastis", "Pastaba"])
    sheet.append(["Liepų al. 2, 4", date(2030, 5, 10), date(2030, 5, 12), "Hidrauliniai bandymai", "Įėjimas iš kiemo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "grafikas.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert {(s.first_day, s.last_day, s.note) for s in shutoffs()} == {
        (date(2030, 5, 10), date(2030, 5, 12), "Įėjimas iš kiemo")
    }


def test_a_header_only_file_cancels_nothing_unless_asked_to_cancel_what_it_leaves_out(app, register, schedule_file):
    row = "Žirmūnų g. 2–4,2030-05-10,2030-05-11,Hidrauliniai bandymai"
    import_schedule(schedule_file([row], name="a.csv").read_bytes(), "a.csv", today=TODAY)
    empty = schedule_file([], name="c.csv").read_bytes()
    report = import_schedule(empty, "c.csv", today=TODAY, dry_run=True)
    assert (report.cancelled, report.missing) == (0, 3)
    asked = import_schedule(empty, "c.csv", today=TODAY, dry_run=True, cancel_missing=True)
    assert (asked.cancelled, asked.missing) == (3, 3)


def test_with_an_unresolved_row_nothing_left_out_is_cancelled(app, register, schedule_file):
    row = "Žirmūnų g. 2–4,2030-05-10,2030-05-11,Hidrauliniai bandymai"
    import_schedule(schedule_file([row], name="a.csv").read_bytes(), "a.csv", today=TODAY)
    with_problem = schedule_file(["Liepų al. 99,2030-05-12,2030-05-12,Vamzdynų remontas"], name="b.csv")
    report = import_schedule(with_problem.read_bytes(), "b.csv", today=TODAY, dry_run=True, cancel_missing=True)
    assert (report.cancelled, report.cancellations_skipped, len(report.problems)) == (0, True, 1)


def test_allow_unresolved_publishes_the_rows_that_resolve_and_keeps_the_others_shutoffs(
    runner, register, schedule_file
):
    first = [
        "Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai",
        "Liepų al. 2,2030-05-12,2030-05-12,Vamzdynų remontas",
    ]
    run(runner, schedule_file(first, name="a.csv"))
    corrected = [
        "Žirmūnų g. 2,2030-05-20,2030-05-21,Hidrauliniai bandymai",
        "Liepų al. 2,2030-05-12,2030-05-12,Vamzdynų remontas",
        "Žirmūnų g. 77,2030-05-12,2030-05-12,Vamzdynų remontas",
    ]
    refused = run(runner, schedule_file(corrected, name="b.csv"))
    assert refused.exit_code != 0
    result = run(runner, schedule_file(corrected, name="b.csv"), "--allow-unresolved")
    assert result.exit_code == 0, result.output
    assert "Eilutė 4: Žirmūnų g. Nr. 77 nerastas" in result.output
    assert "Published without the 1 row(s) above." in result.output
    assert {s.status for s in shutoffs()} == {ShutoffStatus.MOVED, ShutoffStatus.PLANNED}


def test_allow_unresolved_cancels_nothing_left_out_when_a_row_cannot_even_be_read(runner, register, schedule_file):
    run(runner, schedule_file(["Liepų al. 2,2030-05-12,2030-05-12,Vamzdynų remontas"], name="a.csv"))
    unreadable = ["Liepų al. 2,12 gegužės,2030-05-12,Vamzdynų remontas", "Žirmūnų g. 2,2030-05-10,2030-05-11,Remontas"]
    result = run(runner, schedule_file(unreadable, name="b.csv"), "--allow-unresolved", "--cancel-missing")
    assert result.exit_code == 0, result.output
    assert "Neperskaitytų eilučių yra, todėl faile nepaminėti išjungimai neatšaukiami." in result.output
    assert {s.status for s in shutoffs()} == {ShutoffStatus.PLANNED}
    assert count(Shutoff) == 2


def test_a_publication_racing_another_is_refused_and_writes_nothing(app, register, schedule_file, monkeypatch):
    import app.shutoffs.importer as importer

    path = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"])
    import_schedule(path.read_bytes(), path.name, today=TODAY)
    original_find = importer.find_schedule

    def read_then_someone_else_publishes(name):
        found = original_find(name)
        db.session.expunge(found)  # as this publication read it …
        db.session.execute(update(Schedule).values(version=Schedule.version + 1))  # … before the other committed
        db.session.commit()
        return found

    monkeypatch.setattr(importer, "find_schedule", read_then_someone_else_publishes)
    second = schedule_file(["Žirmūnų g. 3,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="b.csv")
    with pytest.raises(importer.StalePreview, match="ką tik paskelbė kitas darbuotojas"):
        import_schedule(second.read_bytes(), second.name, today=TODAY)
    assert count(Shutoff) == 1
    assert count(ScheduleBatch) == 1


def test_a_preview_of_an_older_version_is_refused_and_writes_nothing(app, register, schedule_file):
    path = schedule_file(["Žirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai"])
    preview = import_schedule(path.read_bytes(), path.name, today=TODAY, dry_run=True)
    assert preview.schedule_version == 0
    import_schedule(path.read_bytes(), path.name, today=TODAY, expected_version=0)
    assert db.session.scalar(select(Schedule.version)) == 1
    other = schedule_file(["Žirmūnų g. 3,2030-05-10,2030-05-11,Hidrauliniai bandymai"], name="b.csv")
    with pytest.raises(StalePreview):
        import_schedule(other.read_bytes(), other.name, today=TODAY, expected_version=0)
    assert count(Shutoff) == 1
    assert db.session.scalar(select(Schedule.version)) == 1


@pytest.mark.parametrize(
    ("cancelled", "going_ahead", "large"),
    [(21, 1000, True), (20, 1000, False), (4, 30, True), (3, 30, False), (0, 0, False), (1, 0, True)],
)
def test_a_cancellation_is_large_above_20_or_above_a_tenth_of_the_schedule(cancelled, going_ahead, large):
    assert ImportReport(cancelled=cancelled, going_ahead=going_ahead).cancellation_is_large is large
