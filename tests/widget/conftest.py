"""Fixtures for the widget: upcoming shutoffs relative to the real today (the widget asks the clock)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffKind
from app.timeutil import today_in_vilnius


@pytest.fixture
def add_shutoff(app):
    """add_shutoff(address, starts_in_days=3, days=3, kind=…): a shutoff that starts N days from today."""

    def add(address, starts_in_days: int = 3, days: int = 3, kind: ShutoffKind = ShutoffKind.HYDRAULIC_TEST) -> Shutoff:
        first = today_in_vilnius() + timedelta(days=starts_in_days)
        shutoff = Shutoff(
            address_code=address.code,
            first_day=first,
            last_day=first + timedelta(days=days - 1),
            kind=kind,
            source_key=f"widget-test-{first}",
        )
        db.session.add(shutoff)
        db.session.commit()
        return shutoff

    return add
