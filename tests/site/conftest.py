"""Fixtures for the resident pages: a fixed 'today' (shutoffs come from the root make_shutoff)."""

from datetime import date

import pytest

TODAY = date(2026, 6, 1)


@pytest.fixture
def today(monkeypatch) -> date:
    """The pages, and the published schedule they read, think it is 1 June 2026 (a Monday), Vilnius time."""
    monkeypatch.setattr("app.site.views.today_in_vilnius", lambda: TODAY)
    monkeypatch.setattr("app.shutoffs.published.today_in_vilnius", lambda: TODAY)
    return TODAY
