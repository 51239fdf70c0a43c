"""Helpers for the managers' pages: a few buildings, a CSRF-aware form poster, page parsing."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffKind, ShutoffStatus
from app.timeutil import today_in_vilnius


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client, url: str = "/managers/") -> str:
    """A CSRF token from a page's form (one session token serves every form of the session)."""
    page = soup(client.get(url))
    return page.select_one("input[name$=csrf_token]")["value"]


def table_rows(page: BeautifulSoup) -> list:
    return page.select("table.portfolio-table tbody tr.portfolio-row")


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
def add_shutoff(app):
    def add(address, starts_in: int, days: int = 2, status=ShutoffStatus.PLANNED, kind=ShutoffKind.HYDRAULIC_TEST):
        first = today_in_vilnius() + timedelta(days=starts_in)
        shutoff = Shutoff(
            address_code=address.code,
            first_day=first,
            last_day=first + timedelta(days=days - 1),
            kind=kind,
            status=status,
        )
        db.session.add(shutoff)
        db.session.commit()
        return shutoff

    return add


@pytest.fixture
def check(client):
    """Post a list to /managers the way the form does; returns the response (redirects not followed)."""

    def post(text: str = "", upload: tuple[str, bytes] | None = None):
        data = {"csrf_token": csrf_token(client), "addresses": text}
        if upload is not None:
            import io

            data["upload"] = (io.BytesIO(upload[1]), upload[0])
        return client.post("/managers/", data=data, content_type="multipart/form-data")

    return post
