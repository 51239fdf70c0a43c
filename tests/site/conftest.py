"""Fixtures for the resident pages: a fixed 'today' and a shutoff factory."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.shutoffs.models import Shutoff, ShutoffChange, ShutoffKind, ShutoffStatus
from app.timeutil import utcnow

TODAY = date(2026, 6, 1)


@pytest.fixture
def today(monkeypatch) -> date:
    """The pages think it is 1 June 2026 (a Monday), Vilnius time."""
    monkeypatch.setattr("app.site.views.today_in_vilnius", lambda: TODAY)
    return TODAY


@pytest.fixture
def make_shutoff(app):
    """make_shutoff(address, first_day, last_day, kind=…, status=…, note=…, moved_from=(first, last))."""

    def make(
        address,
        first_day: date,
        last_day: date | None = None,
        kind: ShutoffKind = ShutoffKind.HYDRAULIC_TEST,
        status: ShutoffStatus = ShutoffStatus.PLANNED,
        note: str = "",
        moved_from: tuple[date, date] | None = None,
    ) -> Shutoff:
        shutoff = Shutoff(
            address=address,
            first_day=first_day,
            last_day=last_day or first_day,
            kind=kind,
            status=status,
            note=note,
            source_key=f"test-{first_day}-{kind}",
        )
        db.session.add(shutoff)
        if moved_from:
            shutoff.changes.append(
                ShutoffChange(
                    status=status,
                    previous_first_day=moved_from[0],
                    previous_last_day=moved_from[1],
                    first_day=shutoff.first_day,
                    last_day=shutoff.last_day,
                    changed_at=utcnow() - timedelta(days=1),
                )
            )
        db.session.commit()
        return shutoff

    return make
