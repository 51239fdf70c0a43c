"""The JSON API as other tools rely on it (described by app/api/openapi.json)."""

from datetime import timedelta

import pytest

from app.shutoffs.models import ShutoffKind, ShutoffStatus
from app.timeutil import today_in_vilnius


@pytest.fixture
def zirmunu_12a(make_address):
    make_address(street="Žirmūnų g.", number="12")
    return make_address(street="Žirmūnų g.", number="12A", code="155000002")


def test_lookup_finds_the_building_and_its_coming_shutoff(client, zirmunu_12a, make_shutoff):
    make_shutoff(zirmunu_12a, starts_in=5, days=3)
    body = client.get("/api/v1/lookup", query_string={"q": "zirmunu 12a-5"}).get_json()
    assert body["status"] == "found"
    assert body["address"] == {"code": "155000002", "label": "Žirmūnų g. 12A", "street_code": zirmunu_12a.street_code}
    assert body["street"]["label"] == "Žirmūnų g."
    start = (today_in_vilnius() + timedelta(days=5)).isoformat()
    assert body["shutoffs"] == [
        {
            "start": start,
            "end": (today_in_vilnius() + timedelta(days=7)).isoformat(),
            "kind": "hydraulic_test",
            "status": "planned",
            "note": "",
        }
    ]
    assert body["hot_water_off_soon"] is True


def test_the_whole_season_is_listed_but_only_the_coming_weeks_answer_hot_water_off_soon(
    client, zirmunu_12a, make_shutoff
):
    make_shutoff(zirmunu_12a, starts_in=120, days=2, kind=ShutoffKind.REPAIR)
    make_shutoff(zirmunu_12a, starts_in=40, days=2)
    make_shutoff(zirmunu_12a, starts_in=3, days=2, status=ShutoffStatus.CANCELLED)
    make_shutoff(zirmunu_12a, starts_in=-10, days=3)  # over: not listed
    today = today_in_vilnius()
    for body in (
        client.get("/api/v1/lookup?q=Žirmūnų g. 12A").get_json(),
        client.get("/api/v1/addresses/155000002").get_json(),
    ):
        assert [(s["start"], s["status"], s["kind"]) for s in body["shutoffs"]] == [
            ((today + timedelta(days=3)).isoformat(), "cancelled", "hydraulic_test"),
            ((today + timedelta(days=40)).isoformat(), "planned", "hydraulic_test"),
            ((today + timedelta(days=120)).isoformat(), "planned", "repair"),
        ]
        assert body["hot_water_off_soon"] is False  # the only one in the coming weeks is cancelled


def test_a_shutoff_at_the_end_of_the_coming_weeks_counts_and_one_a_day_later_does_not(
    app, client, zirmunu_12a, make_shutoff
):
    horizon = app.config["SHUTOFF_HORIZON_DAYS"]
    later = make_shutoff(zirmunu_12a, starts_in=horizon + 1)
    assert client.get("/api/v1/addresses/155000002").get_json()["hot_water_off_soon"] is False
    make_shutoff(zirmunu_12a, starts_in=horizon)
    body = client.get("/api/v1/addresses/155000002").get_json()
    assert body["hot_water_off_soon"] is True
    assert body["shutoffs"][-1]["start"] == later.first_day.isoformat()


def test_an_ongoing_shutoff_counts(client, zirmunu_12a, make_shutoff):
    make_shutoff(zirmunu_12a, starts_in=-1, days=3)
    assert client.get("/api/v1/lookup?q=Žirmūnų g. 12A").get_json()["hot_water_off_soon"] is True


def test_ambiguous_lookup_lists_candidates_and_says_nothing_about_hot_water(client, make_address):
    make_address(street="Žirmūnų g.", number="20", block="1")
    make_address(street="Žirmūnų g.", number="20", block="2")
    body = client.get("/api/v1/lookup?q=zirmunu 20").get_json()
    assert body["status"] == "ambiguous"
    assert [c["label"] for c in body["candidates"]] == ["Žirmūnų g. 20 K1", "Žirmūnų g. 20 K2"]
    assert body["address"] is None
    assert body["hot_water_off_soon"] is None
    assert body["shutoffs"] == []


def test_unknown_house_is_street_only_with_the_street(client, zirmunu_12a):
    body = client.get("/api/v1/lookup?q=Žirmūnų 99").get_json()
    assert body["status"] == "street_only"
    assert body["street"] == {"code": zirmunu_12a.street_code, "label": "Žirmūnų g."}
    assert body["nearby_numbers"] == ["12", "12A"]


def test_unknown_street_is_not_found(client, zirmunu_12a):
    body = client.get("/api/v1/lookup?q=Kumipavao g. 75").get_json()
    assert body["status"] == "not_found"
    assert body["address"] is None
    assert body["street"] is None


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ({}, "Įveskite adresą"),
        ({"q": "   "}, "Įveskite adresą"),
        ({"q": "x" * 201}, "per ilgas"),
    ],
)
def test_empty_or_overlong_query_is_a_400_with_a_message(client, query_string, message):
    response = client.get("/api/v1/lookup", query_string=query_string)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_address_endpoint_answers_for_a_register_code(client, zirmunu_12a, make_shutoff):
    make_shutoff(zirmunu_12a, starts_in=1, days=1)
    body = client.get("/api/v1/addresses/155000002").get_json()
    assert body["address"]["label"] == "Žirmūnų g. 12A"
    assert len(body["shutoffs"]) == 1
    assert body["hot_water_off_soon"] is True


def test_unknown_address_code_is_a_json_404(client):
    response = client.get("/api/v1/addresses/999")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_suggest_returns_labels_for_autocomplete(client, zirmunu_12a):
    body = client.get("/api/v1/suggest?q=zirm").get_json()
    assert body["suggestions"] == ["Žirmūnų g."]
    assert client.get("/api/v1/suggest?q=Žirmūnų 12").get_json()["suggestions"] == ["Žirmūnų g. 12", "Žirmūnų g. 12A"]


@pytest.mark.parametrize("text", ["\x00", "%", "' OR 1=1 --", "<script>", "🙂" * 50, "12-12-12-12", "k. 5", "\u202e"])
def test_odd_input_never_gives_a_500(client, text):
    for path in ("/api/v1/lookup", "/api/v1/suggest"):
        assert client.get(path, query_string={"q": text}).status_code in (200, 400)


def test_the_openapi_document_describes_the_three_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(spec["paths"]) == {"/api/v1/lookup", "/api/v1/addresses/{code}", "/api/v1/suggest"}
    shutoffs = spec["components"]["schemas"]["AddressAnswer"]["properties"]["shutoffs"]
    assert shutoffs["description"].startswith("Every published shutoff at the building that has not ended")


def test_a_schedule_published_by_the_import_is_answered_at_once(client, runner, zirmunu_12a, tmp_path):
    assert client.get("/api/v1/addresses/155000002").get_json()["hot_water_off_soon"] is False  # now cached
    first = today_in_vilnius() + timedelta(days=2)
    schedule = tmp_path / "grafikas.csv"
    schedule.write_text(
        f"Adresai,Pradžia,Pabaiga,Priežastis\nŽirmūnų g. 12A,{first},{first},Hidrauliniai bandymai\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["shutoffs", "import", str(schedule)])
    assert result.exit_code == 0, result.output
    body = client.get("/api/v1/addresses/155000002").get_json()
    assert body["hot_water_off_soon"] is True
    assert [s["start"] for s in body["shutoffs"]] == [first.isoformat()]


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not found"}
