"""Pure parts: SMS alphabet and length, signed links, one-time codes, contacts."""

import pytest

from app.notifications import tokens
from app.notifications.contacts import InvalidContact, mask_contact, normalise_phone, validated_email
from app.notifications.sms_text import is_gsm7, one_segment, septets, to_gsm7
from app.notifications.tokens import CodeKind, Purpose


def test_lithuanian_letters_become_plain_latin():
    assert to_gsm7("ąčęėįšųūž ĄČĘĖĮŠŲŪŽ") == "aceeisuuz ACEEISUUZ"


def test_russian_and_polish_are_transliterated_not_sent_as_ucs2():
    assert to_gsm7("Горячей воды не будет") == "Goriachei vody ne budet"
    assert to_gsm7("Łódź, źdźbło") == "Lodz, zdzblo"
    assert is_gsm7(to_gsm7("Жёлтый «дом» – ✓"))


def test_extension_characters_count_twice():
    assert septets("€[]") == 6


def test_a_long_message_is_shortened_but_the_stop_text_survives():
    text = one_segment("Karštas vanduo " * 20, "Atsisakyti: https://karstasvanduo.lt/u/12.abcdefghijkl")
    assert septets(text) == 160
    assert is_gsm7(text)
    assert text.endswith("Atsisakyti: https://karstasvanduo.lt/u/12.abcdefghijkl")
    assert "..." in text


def test_a_short_message_is_left_alone():
    assert one_segment("Žirmūnų g. 1: karšto vandens nebus.", "Atsisakyti: x") == (
        "Zirmunu g. 1: karsto vandens nebus. Atsisakyti: x"
    )


def test_tokens_round_trip_and_refuse_tampering_and_other_purposes():
    token = tokens.make_token("k", Purpose.UNSUBSCRIBE, 7, "secret")
    assert tokens.read_token("k", Purpose.UNSUBSCRIBE, token) == (7, "secret")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_token("k", Purpose.MANAGE, token)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_token("other-key", Purpose.UNSUBSCRIBE, token)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_token("k", Purpose.UNSUBSCRIBE, token + "x")


@pytest.mark.parametrize(("purpose", "days"), [(Purpose.CONFIRM, 2), (Purpose.MANAGE, 90)])
def test_confirm_links_last_two_days_and_manage_links_ninety(monkeypatch, purpose, days):
    made_at = 1_800_000_000
    monkeypatch.setattr("time.time", lambda: made_at)
    token = tokens.make_token("k", purpose, 7, "s")
    monkeypatch.setattr("time.time", lambda: made_at + days * 86400 - 1)
    assert tokens.read_token("k", purpose, token) == (7, "s")
    monkeypatch.setattr("time.time", lambda: made_at + days * 86400 + 1)
    with pytest.raises(tokens.ExpiredToken):
        tokens.read_token("k", purpose, token)


def test_an_unsubscribe_link_never_expires(monkeypatch):
    token = tokens.make_token("k", Purpose.UNSUBSCRIBE, 7, "s")
    monkeypatch.setattr("time.time", lambda: 4_000_000_000)
    assert tokens.read_token("k", Purpose.UNSUBSCRIBE, token) == (7, "s")


@pytest.mark.parametrize(
    ("short", "parsed"),
    [("7.abc", (7, "abc")), ("123456.AbC-_x", (123456, "AbC-_x")), ("2147483647.k", (2147483647, "k"))],
)
def test_a_short_link_is_an_ascii_number_a_dot_and_a_secret(short, parsed):
    assert tokens.parse_short_link(short) == parsed


@pytest.mark.parametrize(
    "short",
    ["².abc", "٣.abc", "7", "7.", ".abc", "-7.abc", "1234567890123.abc", "2147483648.abc", "7 .abc", " 7.abc"],
)
def test_anything_else_is_no_short_link(short):
    assert tokens.parse_short_link(short) is None


def test_codes_are_six_digits_and_only_their_hash_matches():
    code = tokens.new_code()
    assert len(code) == 6
    assert code.isdigit()
    stored = tokens.hash_code("k", CodeKind.SIGN_UP, 1, code)
    assert code not in stored
    assert tokens.code_matches("k", CodeKind.SIGN_UP, 1, f" {code} ", stored)
    assert not tokens.code_matches("k", CodeKind.SIGN_UP, 2, code, stored)
    assert not tokens.code_matches("k", CodeKind.MANAGE, 1, code, stored)  # a sign-up code opens no settings


@pytest.mark.parametrize("raw", ["861234567", "8 612 34567", "+370 612 34567", "+37061234567", "(8-612) 34567"])
def test_lithuanian_mobile_numbers_are_stored_in_e164(raw):
    assert normalise_phone(raw) == "+37061234567"


@pytest.mark.parametrize("raw", ["", "12345", "852123456", "not a phone", "+3706123456789"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(InvalidContact):
        normalise_phone(raw)


def test_email_domain_is_lower_cased_without_dns_lookups():
    assert validated_email(" Jonas@Example.LT ") == "Jonas@example.lt"
    with pytest.raises(InvalidContact):
        validated_email("jonas@")


def test_contacts_are_masked_on_pages():
    assert mask_contact("+37061234567") == "+370•••••567"
    assert mask_contact("jonas@example.lt") == "j•••@example.lt"
