"""What a subscriber reads: dates worded as the site words them, and links that lead somewhere."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.messages import compose, compose_digest
from app.notifications.models import Channel, MessageKind, Subscription
from app.shutoffs.models import ShutoffChange, ShutoffKind, ShutoffStatus
from tests.helpers.html import csrf_token

JUNE_3, JUNE_5, JUNE_30, JULY_2 = date(2026, 6, 3), date(2026, 6, 5), date(2026, 6, 30), date(2026, 7, 2)


def subscriber(language: str, channel: Channel = Channel.EMAIL, **real) -> SimpleNamespace:
    """What compose reads of a subscription; `real` (id, token_nonce) when its links must work."""
    values = {
        "id": 7,
        "short_link_secret": "sh0rt",
        "unsubscribe_secret": "unsub",
        "manage_secret": "man4ge",
        "confirm_secret": "c0nfirm",
        "contact": "jonas@example.lt",
        "addresses": [],
    }
    values.update(real)
    return SimpleNamespace(channel=channel, language=language, **values)


def outbox_row(sub, kind: MessageKind, shutoff, variant: str = "") -> SimpleNamespace:
    return SimpleNamespace(id=1, subscription=sub, kind=kind, shutoff=shutoff, variant=variant, idempotency_key="key")


def moved_from(shutoff, first: date, last: date) -> str:
    """Record that the shutoff was moved from first … last; the outbox variant that reports the move."""
    change = ShutoffChange(
        shutoff=shutoff,
        status=ShutoffStatus.MOVED,
        previous_first_day=first,
        previous_last_day=last,
        first_day=shutoff.first_day,
        last_day=shutoff.last_day,
    )
    db.session.add(change)
    db.session.commit()
    return f"change-{change.id}"


@pytest.fixture
def building(make_address):
    return make_address(street="Žirmūnų g.", number="12A")


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("lt", "Žirmūnų g. 12A: karšto vandens nebus birželio 3–5 d."),
        ("en", "Žirmūnų g. 12A: no hot water on 3–5 June"),
        ("ru", "Žirmūnų g. 12A: горячей воды не будет 3–5 июня"),
        ("pl", "Žirmūnų g. 12A: ciepłej wody nie będzie 3–5 czerwca"),
    ],
)
def test_a_reminder_email_writes_the_days_as_the_site_does(building, make_shutoff, language, subject):
    shutoff = make_shutoff(building, JUNE_3, JUNE_5)
    message = compose(outbox_row(subscriber(language), MessageKind.REMINDER, shutoff))
    assert message.subject == subject
    assert message.text.startswith(subject + " (")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "lt",
            "Zirmunu g. 12A: karsto vandens nebus birzelio 3-5 d. (hidrauliniai bandymai). "
            "Atsisakyti: http://localhost/u/7.sh0rt",
        ),
        ("en", "Zirmunu g. 12A: no hot water on 3-5 June (hydraulic tests). Unsubscribe: http://localhost/u/7.sh0rt"),
        (
            "ru",
            "Zirmunu g. 12A: goriachei vody ne budet 3-5 iiunia (gidravlicheskie ispytaniia). "
            "Otpisatsia: http://localhost/u/7.sh0rt",
        ),
        (
            "pl",
            "Zirmunu g. 12A: cieplej wody nie bedzie 3-5 czerwca (proby hydrauliczne). "
            "Wypisz sie: http://localhost/u/7.sh0rt",
        ),
    ],
)
def test_a_reminder_sms_writes_the_days_as_the_site_does_in_gsm_letters(building, make_shutoff, language, text):
    shutoff = make_shutoff(building, JUNE_3, JUNE_5)
    message = compose(outbox_row(subscriber(language, Channel.SMS), MessageKind.REMINDER, shutoff))
    assert message.text == text


def test_days_across_two_months_name_both_months_in_the_email_and_the_sms(building, make_shutoff):
    shutoff = make_shutoff(building, JUNE_30, JULY_2, kind=ShutoffKind.REPAIR)
    email = compose(outbox_row(subscriber("lt"), MessageKind.REMINDER, shutoff))
    sms = compose(outbox_row(subscriber("lt", Channel.SMS), MessageKind.REMINDER, shutoff))
    assert email.subject == "Žirmūnų g. 12A: karšto vandens nebus birželio 30 d. – liepos 2 d."
    assert sms.text.startswith("Zirmunu g. 12A: karsto vandens nebus birzelio 30 d. - liepos 2 d. (remontas).")


@pytest.mark.parametrize(
    ("language", "email_line", "sms"),
    [
        (
            "lt",
            "Žirmūnų g. 12A: karšto vandens išjungimas perkeltas. "
            "Vietoj birželio 3–5 d. karšto vandens nebus birželio 30 d. – liepos 2 d. (remontas).",
            "Zirmunu g. 12A: isjungimas perkeltas, karsto vandens nebus birzelio 30 d. - liepos 2 d. (remontas).",
        ),
        (
            "en",
            "Žirmūnų g. 12A: the hot water shutoff has moved. "
            "Instead of 3–5 June, there will be no hot water on 30 June – 2 July (repair).",
            "Zirmunu g. 12A: the shutoff has moved, no hot water on 30 June - 2 July (repair).",
        ),
    ],
)
def test_a_moved_shutoff_names_the_old_and_the_new_days(building, make_shutoff, language, email_line, sms):
    shutoff = make_shutoff(building, JUNE_30, JULY_2, kind=ShutoffKind.REPAIR, status=ShutoffStatus.MOVED)
    variant = moved_from(shutoff, JUNE_3, JUNE_5)
    email = compose(outbox_row(subscriber(language), MessageKind.MOVED, shutoff, variant))
    text = compose(outbox_row(subscriber(language, Channel.SMS), MessageKind.MOVED, shutoff, variant)).text
    assert email.text.splitlines()[0] == email_line
    assert text.startswith(sms)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("lt", "- Žirmūnų g. 12A: birželio 3–5 d. (hidrauliniai bandymai)"),
        ("pl", "- Žirmūnų g. 12A: 3–5 czerwca (próby hydrauliczne)"),
    ],
)
def test_a_digest_lists_each_building_with_its_days(building, make_shutoff, language, line):
    shutoff = make_shutoff(building, JUNE_3, JUNE_5)
    message = compose_digest(subscriber(language), [outbox_row(None, MessageKind.REMINDER, shutoff)], "key")
    assert line in message.text.splitlines()


# --- every link in every message leads to a page -------------------------------------------------


def signed_up(client, building) -> Subscription:
    """A real subscription, made through the sign-up form, so the links signed for it are valid."""
    page = client.get("/subscribe", query_string={"address": building.code})
    form = {
        "csrf_token": csrf_token(page),
        "address_codes": [building.code],
        "email": "jonas@example.lt",
        "lead_days": ["10", "1"],
        "language": "lt",
        "consent": "y",
    }
    assert client.post("/subscribe", data=form).status_code == 303
    return db.session.scalars(select(Subscription)).one()


def links_in(*texts: str) -> set[str]:
    return {url for text in texts for url in re.findall(r"https?://[^\s<>\"]+", text)}


def test_every_link_in_every_email_and_sms_opens_a_page(client, building, make_shutoff):
    sub = signed_up(client, building)
    moved = make_shutoff(building, JUNE_30, JULY_2, status=ShutoffStatus.MOVED)
    variant = moved_from(moved, JUNE_3, JUNE_5)
    cancelled = make_shutoff(building, JUNE_3, JUNE_5, status=ShutoffStatus.CANCELLED)
    sms = subscriber("lt", Channel.SMS, id=sub.id, short_link_secret=sub.short_link_secret)
    messages = [
        compose(outbox_row(sub, MessageKind.CONFIRMATION, None)),
        compose(outbox_row(sub, MessageKind.REMINDER, moved)),
        compose(outbox_row(sub, MessageKind.MOVED, moved, variant)),
        compose(outbox_row(sub, MessageKind.CANCELLED, cancelled)),
        compose_digest(sub, [outbox_row(sub, MessageKind.REMINDER, moved)], "digest-key"),
        compose(outbox_row(sms, MessageKind.REMINDER, moved)),
    ]
    links = links_in(*(m.text for m in messages), *(m.html or "" for m in messages))
    links |= {m.headers["List-Unsubscribe"].strip("<>") for m in messages if m.headers}
    paths = {link.removeprefix("http://localhost") for link in links}
    assert {path.split("/")[1] for path in paths} == {"subscribe", "manage", "unsubscribe", "u"}
    for link in sorted(links):
        assert link.startswith("http://localhost/"), link
        response = client.get(link.removeprefix("http://localhost"), follow_redirects=True)
        assert response.status_code == 200, link
