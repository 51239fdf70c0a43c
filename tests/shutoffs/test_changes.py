"""Comparing a file with what its schedule publishes: pure, no app, no database."""

from datetime import date

from app.shutoffs.changes import Published, compare_with_published
from app.shutoffs.files import ScheduleRow
from app.shutoffs.models import ShutoffKind, ShutoffStatus
from app.shutoffs.resolve import ResolvedScheduleRow

TODAY = date(2030, 6, 1)
TEST = ShutoffKind.HYDRAULIC_TEST


def row(line: int, first: date, last: date, *codes: str, number: str = "", cancelled=False, kind=TEST):
    item = ScheduleRow(line, "…", first, last, kind, work_number=number, cancelled=cancelled)
    return ResolvedScheduleRow(item, codes)


def shutoff(id_: int, code: str, first: date, last: date, *, key="kind:hydraulic_test", status=ShutoffStatus.PLANNED):
    return Published(id_, code, key, TEST, first, last, status)


def test_a_building_named_twice_for_the_same_work_and_days_is_one_shutoff():
    plan = compare_with_published(
        [row(2, date(2030, 7, 1), date(2030, 7, 2), "A", "B"), row(3, date(2030, 7, 1), date(2030, 7, 2), "B")],
        [],
        TODAY,
    )
    assert [(code, r.line) for code, r in plan.new] == [("A", 2), ("B", 2)]


def test_what_is_left_out_is_missing_unless_it_is_cancelled_or_over():
    published = [
        shutoff(1, "A", date(2030, 7, 1), date(2030, 7, 2)),
        shutoff(2, "B", date(2030, 7, 1), date(2030, 7, 2), status=ShutoffStatus.CANCELLED),
        shutoff(3, "C", date(2030, 5, 1), date(2030, 5, 2)),
        shutoff(4, "D", date(2030, 5, 30), date(2030, 6, 1)),  # ends today: still going on
    ]
    plan = compare_with_published([], published, TODAY)
    assert [s.id for s in plan.missing] == [4, 1]
    assert plan.cancelled == []
    asked = compare_with_published([], published, TODAY, cancel_missing=True)
    assert [(s.id, r) for s, r in asked.cancelled] == [(4, None), (1, None)]


def test_a_cancelled_shutoff_named_again_is_restored_and_an_ended_one_is_left_as_history():
    published = [
        shutoff(1, "A", date(2030, 7, 1), date(2030, 7, 2), status=ShutoffStatus.CANCELLED),
        shutoff(2, "B", date(2030, 5, 1), date(2030, 5, 2)),
    ]
    plan = compare_with_published(
        [row(2, date(2030, 7, 5), date(2030, 7, 6), "A"), row(3, date(2030, 5, 1), date(2030, 5, 2), "B")],
        published,
        TODAY,
    )
    assert [(s.id, r.line) for s, r in plan.restored] == [(1, 2)]
    assert [(s.id, r.line) for s, r in plan.unchanged] == [(2, 3)]
    assert plan.moved == []


def test_a_numbered_row_never_takes_over_other_numbered_work():
    published = [shutoff(1, "A", date(2030, 7, 1), date(2030, 7, 2), key="nr:5")]
    plan = compare_with_published([row(2, date(2030, 7, 1), date(2030, 7, 2), "A", number="6")], published, TODAY)
    assert [(code, r.work_number) for code, r in plan.new] == [("A", "6")]
    assert [s.id for s in plan.missing] == [1]


def test_an_unnumbered_row_pairs_with_numbered_work_and_keeps_its_number():
    published = [shutoff(1, "A", date(2030, 7, 1), date(2030, 7, 2), key="nr:5")]
    plan = compare_with_published([row(2, date(2030, 7, 3), date(2030, 7, 4), "A")], published, TODAY)
    assert [(s.id, r.line) for s, r in plan.moved] == [(1, 2)]
    assert plan.keys == []


def test_a_row_of_another_kind_is_other_work():
    published = [shutoff(1, "A", date(2030, 7, 1), date(2030, 7, 2))]
    plan = compare_with_published(
        [row(2, date(2030, 7, 1), date(2030, 7, 2), "A", kind=ShutoffKind.REPAIR)], published, TODAY
    )
    assert [(code, r.kind) for code, r in plan.new] == [("A", ShutoffKind.REPAIR)]
    assert [s.id for s in plan.missing] == [1]


def test_a_cancelling_row_that_names_nothing_published_adds_nothing():
    plan = compare_with_published([row(2, date(2030, 7, 1), date(2030, 7, 2), "A", cancelled=True)], [], TODAY)
    assert (plan.new, plan.cancelled, plan.unchanged) == ([], [], [])
