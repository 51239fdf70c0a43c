"""What a newcomer meets first: the examples exist in the demo data, the browser's icon, the calendar links."""

import pytest

from tests.helpers.html import soup


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def test_the_home_pages_examples_are_found_in_the_demo_data(client, demo):
    hint = soup(client.get("/")).select_one("#q-hint").get_text(strip=True)
    assert hint == "Pavyzdžiui: Žirmūnų g. 12A arba zirmunu 12a-5"
    examples = hint.removeprefix("Pavyzdžiui: ").split(" arba ")
    answers = [client.get("/api/v1/lookup", query_string={"q": example}).get_json() for example in examples]
    assert [(a["status"], a["address"]["label"]) for a in answers] == [("found", "Žirmūnų g. 12A")] * 2
    assert answers[0]["hot_water_off_soon"] is True  # the demo schedule has it under way: worth a first look


def test_the_browsers_icon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    body = response.data
    response.close()  # the file it streamed
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert body.startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert response.cache_control.max_age == 604800


def test_the_building_page_gives_an_https_feed_link_beside_webcal(client, make_address):
    building = make_address("Žirmūnų g.", "12A")
    links = [a["href"] for a in soup(client.get(f"/address/{building.code}")).select("#calendar ~ ul a")]
    assert links[:2] == [
        f"webcal://localhost/address/{building.code}/shutoffs.ics",
        f"http://localhost/address/{building.code}/shutoffs.ics",
    ]
