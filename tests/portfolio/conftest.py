"""Fixtures for the managers' pages: a few buildings and a form poster that carries the CSRF token."""

import io

import pytest

from tests.helpers.html import csrf_token


@pytest.fixture
def buildings(make_street, make_address) -> dict:
    """Žirmūnų g. 12A/14/16, Liepų al. 8 and Liepų g. 8 (the ambiguous pair), by label."""
    zirmunu = make_street("Žirmūnų", "g.")
    liepu_al = make_street("Liepų", "al.")
    liepu_g = make_street("Liepų", "g.")
    made = [
        make_address(zirmunu, "12A"),
        make_address(zirmunu, "14"),
        make_address(zirmunu, "16"),
        make_address(liepu_al, "8"),
        make_address(liepu_g, "8"),
    ]
    return {a.label: a for a in made}


@pytest.fixture
def check(client):
    """Post a list to /managers the way the form does; returns the response (redirects not followed)."""

    def post(text: str = "", upload: tuple[str, bytes] | None = None):
        data = {"csrf_token": csrf_token(client.get("/managers/")), "addresses": text}
        if upload is not None:
            data["upload"] = (io.BytesIO(upload[1]), upload[0])
        return client.post("/managers/", data=data, content_type="multipart/form-data")

    return post
