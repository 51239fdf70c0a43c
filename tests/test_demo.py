"""`flask demo load` (run by `make run`) keeps the demo's dates current for a newcomer who comes back later."""

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.shutoffs.models import ScheduleBatch, Shutoff
from app.timeutil import today_in_vilnius, utcnow


def demo_days() -> list[tuple[int, int]]:
    """Each demo shutoff's first and last day as offsets from today, in the schedule's order."""
    today = today_in_vilnius()
    shutoffs = db.session.scalars(select(Shutoff).order_by(Shutoff.first_day, Shutoff.address_code))
    return sorted({((s.first_day - today).days, (s.last_day - today).days) for s in shutoffs})


def age_the_demo(days: int) -> None:
    """As if the demo had been loaded `days` days ago."""
    for shutoff in db.session.scalars(select(Shutoff)):
        shutoff.first_day -= timedelta(days=days)
        shutoff.last_day -= timedelta(days=days)
    db.session.execute(update(ScheduleBatch).values(published_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def test_an_aged_demo_is_moved_to_todays_dates(runner):
    runner.invoke(args=["demo", "load"])
    fresh = demo_days()
    age_the_demo(6)
    assert demo_days() != fresh
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    loaded_on = (today_in_vilnius() - timedelta(days=6)).isoformat()
    assert f"The demo schedule loaded on {loaded_on} was moved to today's dates." in result.output
    assert demo_days() == fresh
    assert db.session.scalar(select(db.func.count()).select_from(ScheduleBatch)) == 1


def test_a_demo_loaded_today_is_left_alone(runner):
    runner.invoke(args=["demo", "load"])
    batch_ids = list(db.session.scalars(select(ScheduleBatch.id)))
    result = runner.invoke(args=["demo", "load"])
    assert "The database already has data; demo not loaded" in result.output
    assert list(db.session.scalars(select(ScheduleBatch.id))) == batch_ids


def test_a_schedule_someone_published_is_never_touched(runner, tmp_path):
    runner.invoke(args=["demo", "load"])
    schedule = tmp_path / "grafikas.csv"
    schedule.write_text(
        "Adresai,Pradžia,Pabaiga,Priežastis\nŽirmūnų g. 2,2030-05-10,2030-05-11,Hidrauliniai bandymai\n"
    )
    assert runner.invoke(args=["shutoffs", "import", str(schedule)]).exit_code == 0
    age_the_demo(6)
    before = demo_days()
    result = runner.invoke(args=["demo", "load"])
    assert "The database already has data; demo not loaded" in result.output
    assert demo_days() == before
