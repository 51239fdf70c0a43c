"""The building page, its calendar feed and its printable notice."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from app.shutoffs.models import ShutoffKind, ShutoffStatus
from tests.helpers.html import soup


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def building(make_address):
    return make_address(street="Žirmūnų g.", number="12A")


def test_the_building_page_lists_upcoming_shutoffs_with_kind_note_and_status(client, today, building, make_shutoff):
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5), note="Vamzdynų bandymai")
    make_shutoff(
        building,
        date(2026, 6, 16),
        date(2026, 6, 17),
        kind=ShutoffKind.REPAIR,
        status=ShutoffStatus.MOVED,
        moved_from=(date(2026, 6, 9), date(2026, 6, 10)),
    )
    make_shutoff(building, date(2026, 7, 1), kind=ShutoffKind.RECONSTRUCTION, status=ShutoffStatus.CANCELLED)

    response = client.get(f"/address/{building.code}")

    page = soup(response)

    assert words(page.select_one("h1")) == "Žirmūnų g. 12A"
    items = page.select("#upcoming + .shutoff-list .shutoff")
    assert [words(i.select_one(".shutoff__range")) for i in items] == [
        "birželio 3–5 d.",
        "birželio 16–17 d.",
        "liepos 1 d.",
    ]
    assert words(items[0]).startswith("birželio 3–5 d. trečiadienis–penktadienis Hidrauliniai bandymai")
    assert "Vamzdynų bandymai" in words(items[0])
    assert items[0].select_one(".tag") is None
    assert words(items[1].select_one(".tag")) == "Perkelta"
    assert "Anksčiau buvo planuota: birželio 9–10 d." in words(items[1])
    assert words(items[2].select_one(".tag")) == "Atšaukta"
    assert "shutoff--cancelled" in items[2]["class"]


def test_the_building_page_answers_first_like_the_search(client, today, building, make_shutoff):
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5))
    response = client.get(f"/address/{building.code}")
    page = soup(response)
    assert words(page.select_one(".answer__headline")) == (
        "Taip: karšto vandens nebus birželio 3–5 d. (hidrauliniai bandymai)"
    )


def test_recent_shutoffs_are_shown_apart_from_upcoming_ones(client, today, building, make_shutoff):
    make_shutoff(building, date(2026, 5, 20), date(2026, 5, 21))
    response = client.get(f"/address/{building.code}")
    page = soup(response)
    assert "išjungimų nenumatyta" in words(page.select_one("#upcoming").find_next("p"))
    assert words(page.select_one("#recent + .shutoff-list .shutoff__range")) == "gegužės 20–21 d."


def test_the_building_page_links_to_subscribe_the_calendar_and_the_notice(client, today, building):
    response = client.get(f"/address/{building.code}")
    page = soup(response)
    links = {a["href"] for a in page.select("main a")}
    assert f"/subscribe?address={building.code}" in links
    assert f"/address/{building.code}/shutoffs.ics" in links
    assert f"webcal://localhost/address/{building.code}/shutoffs.ics" in links
    assert f"/address/{building.code}/notice" in links


@pytest.mark.parametrize("path", ["/address/999999", "/address/999999/shutoffs.ics", "/address/999999/notice"])
def test_an_unknown_building_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Puslapis nerastas" in response.text


def test_the_calendar_feed_is_valid_icalendar_with_all_day_events(client, today, building, make_shutoff):
    shutoff = make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5), note="Bandymai")
    response = client.get(f"/address/{building.code}/shutoffs.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"shutoff-{shutoff.id}@karstas-vanduo"
    assert event.decoded("dtstart") == date(2026, 6, 3)
    assert event.decoded("dtend") == date(2026, 6, 6)  # exclusive: hot water is back on the 6th
    assert b"DTSTART;VALUE=DATE:20260603" in response.data
    assert str(event["summary"]) == "Karšto vandens nebus (hidrauliniai bandymai), Žirmūnų g. 12A"
    assert "Bandymai" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert int(event["sequence"]) == 0
    assert str(event["url"]) == f"http://localhost/address/{building.code}"


def test_a_moved_or_cancelled_shutoff_updates_the_same_event(client, today, building, make_shutoff):
    moved = make_shutoff(
        building, date(2026, 6, 16), status=ShutoffStatus.MOVED, moved_from=(date(2026, 6, 9), date(2026, 6, 9))
    )
    cancelled = make_shutoff(building, date(2026, 6, 20), kind=ShutoffKind.REPAIR, status=ShutoffStatus.CANCELLED)
    calendar = Calendar.from_ical(client.get(f"/address/{building.code}/shutoffs.ics").data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert int(events[f"shutoff-{moved.id}@karstas-vanduo"]["sequence"]) == 1
    assert str(events[f"shutoff-{cancelled.id}@karstas-vanduo"]["status"]) == "CANCELLED"


def test_the_calendar_speaks_the_readers_language(client, today, building, make_shutoff):
    make_shutoff(building, date(2026, 6, 3))
    calendar = Calendar.from_ical(client.get(f"/address/{building.code}/shutoffs.ics?lang=en").data)
    (event,) = calendar.walk("VEVENT")
    assert "hydraulic" in str(event["summary"]).lower()


def test_the_notice_has_big_dates_the_address_and_a_qr_code_to_the_building_page(client, today, building, make_shutoff):
    make_shutoff(building, date(2026, 6, 3), date(2026, 6, 5))
    make_shutoff(building, date(2026, 6, 20), status=ShutoffStatus.CANCELLED)
    response = client.get(f"/address/{building.code}/notice")
    page = soup(response)

    assert words(page.select_one(".notice__title")) == "Karšto vandens nebus"
    assert [words(r) for r in page.select(".notice__range")] == ["birželio 3–5 d."]
    assert "Žirmūnų g. 12A" in words(page.select_one(".notice__address"))
    svg = page.select_one(".notice .qr svg")
    assert svg is not None
    assert svg["role"] == "img"
    assert f"http://localhost/address/{building.code}" in words(svg.select_one("title"))
    assert words(page.select_one(".notice__url")) == f"http://localhost/address/{building.code}"
    assert page.select_one("link[href*='/static/css/notice.css?v=']") is not None


def test_a_notice_without_shutoffs_says_so(client, today, building):
    response = client.get(f"/address/{building.code}/notice")
    page = soup(response)
    assert words(page.select_one(".notice__title")) == "Artimiausias 4 savaites išjungimų nenumatyta"


def test_shutoffs_in_another_year_name_the_year(client, today, building, make_shutoff):
    make_shutoff(building, date(2027, 1, 10), date(2027, 1, 11))
    response = client.get(f"/address/{building.code}")
    page = soup(response)
    assert words(page.select_one(".shutoff__range")) == "2027 m. sausio 10–11 d."


def test_the_building_page_shows_at_most_the_recent_past(client, today, building, make_shutoff):
    make_shutoff(building, today - timedelta(days=200))
    response = client.get(f"/address/{building.code}")
    page = soup(response)
    assert page.select_one("#recent") is None
