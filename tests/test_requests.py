"""NUL characters from the wire never reach a view (PostgreSQL refuses them in text)."""

import pytest
from flask import session


@pytest.mark.parametrize("path", ["/address/%00", "/address/1%002", "/managers/p/%00", "/unsubscribe/%00"])
def test_a_nul_in_the_path_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_a_nul_in_the_query_string_is_dropped(client, make_address):
    make_address(street="Žirmūnų g.", number="12")
    body = client.get("/api/v1/lookup", query_string={"q": "Žirmūnų\x00 12"}).get_json()
    assert body["query"] == "Žirmūnų 12"
    assert body["status"] == "found"


def test_a_session_lasts_across_requests_and_a_forged_cookie_is_ignored(app, client):
    @app.get("/visits")
    def visits():
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    assert [client.get("/visits").text for _ in range(3)] == ["1", "2", "3"]
    client.set_cookie("session", "eyJ2aXNpdHMiOjQxfQ.forged.signature")
    assert client.get("/visits").text == "1"
    client.delete_cookie("session")
    assert client.get("/visits").text == "1"
