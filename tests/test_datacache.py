"""Per-worker caches notice changes made elsewhere (another worker, a CLI import) by the data version."""

from app import datacache
from app.addresses.lookup import lookup
from app.addresses.models import Address
from app.datacache import bump_data_version
from app.extensions import db


def test_a_worker_sees_a_register_change_made_by_another_process(app, make_address, monkeypatch):
    street = make_address(street="Žirmūnų g.", number="12").street
    assert lookup("Žirmūnų 14").status == "street_only"
    # Another process adds a house and bumps the version; this worker's cache is not told directly.
    db.session.add(Address(code="155999999", street=street, number="14", block=""))
    bump_data_version("register")
    db.session.commit()
    monkeypatch.setattr(datacache, "VERSION_CHECK_SECONDS", 0.0)
    assert lookup("Žirmūnų 14").status == "found"
