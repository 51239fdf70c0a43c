"""Every kind of message, by e-mail and by SMS, in every language: no Lithuanian left in another language."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from babel.messages.pofile import read_po

from app.extensions import db
from app.notifications.messages import compose, compose_digest
from app.notifications.models import LEAD_DAY_CHOICES, Channel, MessageKind, OutboxMessage
from app.notifications.sms_text import is_gsm7, septets, to_gsm7
from app.shutoffs.models import ShutoffKind, ShutoffStatus
from tests.helpers.subscribers import add_subscriber
from tests.site.test_languages import LANGUAGES, TRANSLATIONS

FIRST, LAST = date(2026, 6, 3), date(2026, 6, 5)
SITE_NAMES = ("Karštas vanduo", "Vilniaus šilumos tinklai", "Vilniaus šilumos tinklams")

# Words only Lithuanian uses (with and without its letters, as SMS writes them), and letters no other language
# of the service writes (Polish has ą and ę too).
LITHUANIAN = re.compile(
    r"[čėįšųūž]|\b(karšt|karst|vanden|nebus|išjung|isjung|atšauk|atsauk|perkelt|praneš|pranes|atsisak|patvirtin"
    r"|nuorod|galioja|kodas|pastat|dienų|dienu|planuojam|grąžin|grazin|baigė|baige|daugiau|nustatym|sveiki|jei"
    r"|arba|nieko|prieš|pries|pagal|hidraulin|bandym|remontas|rekonstrukcija|skambink|klausim|keisti|valand)",
    re.IGNORECASE,
)


def lithuanian_in(text: str, proper_names: list[str]) -> list[str]:
    """The Lithuanian letters and words left in `text` once links and proper names (buildings, the service's
    and VŠT's names, in Lithuanian and as SMS writes them) are taken out. ą and ę count outside Polish."""
    text = re.sub(r"https?://\S+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))
    for name in sorted(proper_names, key=len, reverse=True):
        text = text.replace(name, " ").replace(to_gsm7(name), " ")
    return [match.group(0) for match in LITHUANIAN.finditer(text)]


def lithuanian_for(language: str, text: str, proper_names: list[str]) -> list[str]:
    left = lithuanian_in(text, proper_names)
    if language != "pl":
        left += re.findall(r"[ąę]", re.sub(r"https?://\S+", " ", text), re.IGNORECASE)
    return left


def test_the_detector_finds_lithuanian_in_a_message_and_nothing_in_a_translated_one():
    names = ["Žirmūnų g. 12A", *SITE_NAMES]
    assert lithuanian_in("Zirmunu g. 12A: karsto vandens nebus birzelio 3-5 d.", names) == [
        "karst",
        "vanden",
        "nebus",
    ]
    assert lithuanian_in("Jei norite gauti pranešimus, patvirtinkite:", names) == ["Jei", "praneš", "patvirtin"]
    assert lithuanian_for("en", "Gatvę rasime", names) == ["ę"]
    assert lithuanian_for("pl", "ciepłej wody nie będzie", names) == []
    assert lithuanian_in("Žirmūnų g. 12A: no hot water on 3–5 June. Questions: Vilniaus šilumos tinklai.", names) == []


def _rows(make_address, make_shutoff, channel: Channel, language: str) -> tuple[list, list[str]]:
    """(name, row, digest rows) for every kind of message to a subscriber of `channel` speaking `language`, and
    the labels of the buildings it follows."""
    home = make_address(street="Žirmūnų g.", number="12A")
    others = [make_address(street="Kalvarijų g.", number=str(n)) for n in range(1, 9)]
    contact = "jonas@example.lt" if channel == Channel.EMAIL else "+37061234567"
    sub = add_subscriber(channel, contact, home.code, *(a.code for a in others), language=language)
    planned = make_shutoff(home, FIRST, LAST)
    moved = make_shutoff(home, FIRST + timedelta(days=20), LAST + timedelta(days=20), status=ShutoffStatus.MOVED)
    cancelled = make_shutoff(home, FIRST, LAST, status=ShutoffStatus.CANCELLED)
    ended = make_shutoff(home, FIRST - timedelta(days=5), FIRST - timedelta(days=4), kind=ShutoffKind.REPAIR)
    elsewhere = [make_shutoff(a, FIRST, LAST, kind=ShutoffKind.RECONSTRUCTION) for a in others]

    def row(kind, shutoff=None, variant="", lead=0):
        message = OutboxMessage(subscription=sub, kind=kind, shutoff=shutoff, variant=variant, lead_days=lead)
        db.session.add(message)
        db.session.flush()
        return message

    rows = [
        (f"reminder {lead} days ahead", row(MessageKind.REMINDER, planned, lead=lead), []) for lead in LEAD_DAY_CHOICES
    ]
    rows += [
        ("confirmation", row(MessageKind.CONFIRMATION), []),
        ("settings", row(MessageKind.MANAGE, variant="m"), []),
        ("moved", row(MessageKind.MOVED, moved, f"change-1:{FIRST}:{LAST}"), []),
        ("cancelled", row(MessageKind.CANCELLED, cancelled, "change-2"), []),
        ("planned again", row(MessageKind.RESTORED, planned, "change-3"), []),
        ("hot water back", row(MessageKind.HOT_WATER_BACK, ended, ended.last_day.isoformat()), []),
        ("digest of two", None, [row(MessageKind.REMINDER, s, "two") for s in (planned, elsewhere[0])]),
        ("digest of nine", None, [row(MessageKind.REMINDER, s, "nine") for s in (planned, *elsewhere)]),
    ]
    db.session.commit()
    return rows, [home.label, *(a.label for a in others)]


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_message_is_in_the_subscribers_language(make_address, make_shutoff, channel, language):
    rendered = {}
    rows, labels = _rows(make_address, make_shutoff, channel, language)
    for name, row, digest in rows:
        if digest:
            message = compose_digest(digest[0].subscription, digest, key=f"digest-{digest[0].id}")
        else:
            message = compose(row, code="123456")
        rendered[name] = message
    for name, message in rendered.items():
        for part in (message.subject, message.text, message.html):
            left = lithuanian_for(language, part, [*labels, *SITE_NAMES]) if language != "lt" else []
            assert left == [], f"{language} {channel} {name}: {left} in {part!r}"
        if channel == Channel.SMS:
            assert is_gsm7(message.text), name
            assert septets(message.text) <= 160, name
    assert len(rendered) == len(LEAD_DAY_CHOICES) + 8


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "lt"])
def test_no_catalog_entry_is_left_in_lithuanian(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    left = [
        m.id
        for m in catalog
        if m.id and (not m.string or m.fuzzy or (m.string == m.id and lithuanian_for(language, m.id, [])))
    ]
    assert left == []
