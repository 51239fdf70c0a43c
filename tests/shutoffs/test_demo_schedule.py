"""`flask demo load` publishes the demo schedule after the register, dated from the day it is loaded."""

from datetime import date

from sqlalchemy import select

from app.demo import demo_schedule
from app.extensions import db
from app.shutoffs.models import Shutoff
from app.timeutil import today_in_vilnius


def test_demo_schedule_offsets_become_dates_counted_from_today():
    text = demo_schedule(date(2030, 5, 10)).decode()
    header, first = text.splitlines()[:2]
    assert header == "Adresai,Pradžia,Pabaiga,Priežastis,Pastaba"
    assert ",2030-05-09,2030-05-11,Hidrauliniai bandymai" in first


def test_demo_load_publishes_shutoffs_going_on_now_and_coming_later(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Eilutė" not in result.output  # every demo row resolves
    today = today_in_vilnius()
    shutoffs = list(db.session.scalars(select(Shutoff)))
    assert any(s.first_day <= today <= s.last_day for s in shutoffs)
    assert any(s.first_day > today for s in shutoffs)
    again = runner.invoke(args=["demo", "load", "--force"])
    assert "naujų: 0" in again.output  # loading twice duplicates nothing
