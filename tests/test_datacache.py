"""Per-worker caches notice changes made elsewhere (another worker, a CLI import) by the data version."""

from app import datacache
from app.addresses.lookup import address_index, forget_index, lookup
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


def test_a_repeated_question_is_answered_from_the_workers_memo(app, make_address, monkeypatch):
    make_address(street="Žirmūnų g.", number="12")
    index_class = type(address_index())
    asked = []

    def counting_match(self, text):
        asked.append(text)
        return original_match(self, text)

    original_match = index_class.match
    monkeypatch.setattr(index_class, "match", counting_match)
    forget_index()  # a fresh index, and so a fresh memo
    answers = [lookup("Žirmūnų g. 12"), lookup("Žirmūnų g. 12"), lookup("Žirmūnų g. 14")]
    assert asked == ["Žirmūnų g. 12", "Žirmūnų g. 14"]
    assert answers[1] is answers[0]
    assert [(a.status, a.address and a.address.label) for a in answers] == [
        ("found", "Žirmūnų g. 12"),
        ("found", "Žirmūnų g. 12"),
        ("street_only", None),
    ]
