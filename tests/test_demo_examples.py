"""A newcomer's first try: the addresses the site gives as examples exist in the demo data."""

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
