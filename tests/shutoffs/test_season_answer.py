"""The resident's answer (site and widget): the coming weeks, then "next planned" when that is all quiet."""

import pytest

from app.shutoffs.models import ShutoffStatus
from app.timeutil import today_in_vilnius
from app.wording import date_range
from tests.helpers.html import soup, text_of

PAGES = [("/", {}), ("/embed", {"lang": "lt"})]


@pytest.fixture
def building(make_address):
    return make_address("Žirmūnų g.", "12A")


def answer(client, path: str, extra: dict):
    return client.get(path, query_string={"q": "Žirmūnų g. 12A", **extra})


@pytest.mark.parametrize(("path", "extra"), PAGES)
def test_a_shutoff_beyond_the_coming_weeks_is_told_as_next_planned(client, building, make_shutoff, path, extra):
    later = make_shutoff(building, starts_in=45, days=3)
    make_shutoff(building, starts_in=80)  # the one after is not "next"
    response = answer(client, path, extra)
    assert text_of(response, "[data-answer]") == "Artimiausias 4 savaites išjungimų nenumatyta"
    dates = date_range(later.first_day, later.last_day, "lt", with_year=later.first_day.year != today_in_vilnius().year)
    assert text_of(response, "[data-next-planned]") == (
        f"Kitas planuojamas išjungimas: {dates} (hidrauliniai bandymai)."
    )


@pytest.mark.parametrize(("path", "extra"), PAGES)
def test_no_next_planned_line_when_water_is_off_in_the_coming_weeks(client, building, make_shutoff, path, extra):
    make_shutoff(building, starts_in=5)
    make_shutoff(building, starts_in=45)
    page = soup(answer(client, path, extra))
    assert page.select_one("[data-answer]")["data-answer"] == "off"
    assert page.select_one("[data-next-planned]") is None


@pytest.mark.parametrize(("path", "extra"), PAGES)
def test_a_cancelled_later_shutoff_is_not_next_planned(client, building, make_shutoff, path, extra):
    make_shutoff(building, starts_in=45, status=ShutoffStatus.CANCELLED)
    page = soup(answer(client, path, extra))
    assert page.select_one("[data-next-planned]") is None


def test_next_planned_is_said_while_an_earlier_one_in_the_coming_weeks_is_cancelled(client, building, make_shutoff):
    make_shutoff(building, starts_in=5, status=ShutoffStatus.CANCELLED)
    make_shutoff(building, starts_in=60)
    response = answer(client, "/", {})
    assert text_of(response, "[data-next-planned]").startswith("Kitas planuojamas išjungimas:")
