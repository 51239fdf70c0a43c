"""Messages rendered from a sketch of their template read exactly as if rendered in full, each with its own
values; a template that cannot be sketched exactly is rendered in full every time."""

from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from itsdangerous import TimestampSigner
from jinja2 import ChoiceLoader, DictLoader

from app.extensions import db
from app.notifications import rendering
from app.notifications.messages import compose, compose_digest
from app.notifications.models import Channel, MessageKind
from app.notifications.rendering import render
from tests.notifications.test_every_message_in_every_language import _rows
from tests.site.test_languages import LANGUAGES

JUNE_3, JUNE_5 = date(2026, 6, 3), date(2026, 6, 5)


def reminder(sub_id: int, shutoff, language: str = "lt"):
    sub = SimpleNamespace(
        id=sub_id,
        channel="email",
        language=language,
        contact=f"resident{sub_id}@example.lt",
        unsubscribe_secret=f"unsub{sub_id}",
        manage_secret=f"manage{sub_id}",
        short_link_secret=f"short{sub_id}",
        confirm_secret=f"confirm{sub_id}",
        addresses=[],
    )
    row = SimpleNamespace(
        id=sub_id,
        subscription=sub,
        kind=MessageKind.REMINDER,
        shutoff=shutoff,
        variant="",
        idempotency_key=f"k{sub_id}",
    )
    return compose(row)


def test_reminders_of_one_shape_each_carry_their_own_building_note_and_links(make_address, make_shutoff):
    first = make_shutoff(make_address(number="12A"), JUNE_3, JUNE_5, note="Keičiami vamzdžiai")
    second = make_shutoff(make_address(number="3"), JUNE_3, JUNE_5, note='Įėjimas per kiemą <"B"> & rūsį')
    one, two = reminder(1, first), reminder(2, second)

    assert two.subject == "Žirmūnų g. 3: karšto vandens nebus birželio 3–5 d."
    assert two.text.startswith(
        'Žirmūnų g. 3: karšto vandens nebus birželio 3–5 d. (hidrauliniai bandymai).\n\nĮėjimas per kiemą <"B"> & rūsį\n'
    )
    assert "<title>Žirmūnų g. 3: karšto vandens nebus birželio 3–5 d.</title>" in two.html
    assert "<p>Įėjimas per kiemą &lt;&#34;B&#34;&gt; &amp; rūsį</p>" in two.html
    assert "Keičiami" not in two.html + two.text
    unsubscribe = two.headers["List-Unsubscribe"].strip("<>")
    assert f'<a href="{unsubscribe}" style="color:#1d4f91;">Atsisakyti pranešimų</a>' in two.html
    assert unsubscribe in two.text
    assert one.headers["List-Unsubscribe"].strip("<>") not in two.html + two.text


def test_a_reminder_without_a_note_after_one_with_a_note_has_no_empty_paragraph(make_address, make_shutoff):
    reminder(1, make_shutoff(make_address(number="12A"), JUNE_3, JUNE_5, note="Keičiami vamzdžiai"))
    plain = reminder(2, make_shutoff(make_address(number="3"), JUNE_3, JUNE_5))

    assert "<p></p>" not in plain.html
    assert "Keičiami" not in plain.html + plain.text
    assert plain.text.startswith(
        "Žirmūnų g. 3: karšto vandens nebus birželio 3–5 d. (hidrauliniai bandymai).\n\nKarštą vandenį"
    )


@pytest.fixture
def probe_templates(app):
    """Templates beside the app's, for what the message templates do not do (yet)."""
    app.jinja_env.loader = ChoiceLoader(
        [
            DictLoader(
                {
                    "probe/by_attribute.txt": "{% if subscription.digest %}all {% endif %}{{ note }}",
                    "probe/by_length.txt": "{{ note|length }}",
                }
            ),
            app.jinja_env.loader,
        ]
    )


@pytest.mark.usefixtures("probe_templates")
def test_a_template_that_reads_more_of_the_subscription_than_its_language_is_rendered_in_full(app):
    with force_locale("lt"):
        one = render("probe/by_attribute.txt", subscription=SimpleNamespace(language="lt", digest=False), note="a")
        two = render("probe/by_attribute.txt", subscription=SimpleNamespace(language="lt", digest=True), note="b")
    assert (one, two) == ("a", "all b")


@pytest.mark.usefixtures("probe_templates")
def test_a_template_that_changes_a_value_is_rendered_in_full(app):
    with force_locale("lt"):
        lengths = [render("probe/by_length.txt", note=note) for note in ("ab", "xyz", "abcd")]
    assert lengths == ["2", "3", "4"]


def _compose_all(rows):
    return [
        compose_digest(digest[0].subscription, digest, key=f"digest-{digest[0].id}") if digest else compose(row)
        for _name, row, digest in rows
    ]


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_message_from_its_sketch_reads_as_rendered_in_full(
    make_address, make_shutoff, monkeypatch, channel, language
):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_780_000_000)  # the settings links' time
    rows, _labels = _rows(make_address, make_shutoff, channel, language)
    shutoffs = {m.shutoff for _name, row, digest in rows for m in [row, *digest] if m is not None and m.shutoff}
    for shutoff in shutoffs:
        shutoff.note = "Keičiami vamzdžiai"
    _compose_all(rows)  # the first of each shape is rendered in full, and sketched
    for shutoff in shutoffs:
        shutoff.note = 'Įėjimas per kiemą <"B"> & rūsį'
    db.session.commit()
    from_sketches = _compose_all(rows)
    monkeypatch.setattr(rendering, "_exact_sketch", lambda *args: None)
    rendering._sketches.clear()
    assert from_sketches == _compose_all(rows)
