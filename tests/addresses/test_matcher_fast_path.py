"""The matcher's fast path: a building's own label is answered from a dict, exactly as the full match answers it."""

import dataclasses

import pytest

from app.addresses import matcher
from app.addresses.matcher import AddressIndex, MatchResult

from .test_matcher import index  # noqa: F401 -- the hand-made register's index, a fixture


def full_match(index: AddressIndex, text: str) -> MatchResult:  # noqa: F811 -- the fixture's name
    """What the matcher answers without its fast path."""
    labels = index._labels
    index._labels = {}
    try:
        return index.match(text)
    finally:
        index._labels = labels


def test_every_label_in_any_case_and_spacing_gets_the_full_matchs_answer(index):  # noqa: F811
    addresses = [index.address(code) for code in sorted(index._by_code)]
    assert len(addresses) == 40
    for address in addresses:
        for text in (
            address.label,
            address.label.upper(),
            address.label.lower(),
            f" {address.label}  ".replace(" ", "  "),
        ):
            assert index.match(text) == full_match(index, text), text


@pytest.mark.parametrize(
    ("text", "code", "house"),
    [
        ("Žirmūnų g. 12A", "1-12A", "12A"),
        ("žirmūnų  G. 12a", "1-12A", "12A"),
        ("Sausio 13-osios g. 5", "4-5", "5"),
        ("ŽIRMŪNŲ G. 20 K2", "1-20-K2", "20 K2"),
        ("M. K. Čiurlionio g. 24", "9-24", "24"),
    ],
)
def test_a_label_is_found_with_the_text_as_typed(index, text, code, house):  # noqa: F811
    answer = index.match(text)
    assert (answer.query, answer.status, answer.address.code, answer.house, answer.flat) == (
        text,
        "found",
        code,
        house,
        "",
    )
    assert [(c.code, c.score, c.kind) for c in answer.candidates] == [(code, 1.0, "address")]


def test_other_texts_take_the_full_match(index):  # noqa: F811
    # A flat, a typo, no type word: not a label, so the full match answers (and finds the same building).
    for text in ("Žirmūnų g. 12A-5", "Žirmūnų g. 12Ą", "Žirmūnų 12A"):
        assert index._labels.get(" ".join(text.casefold().split())) is None
        assert dataclasses.replace(index.match(text), flat="").address.code == "1-12A"


def test_a_label_is_answered_before_any_parsing(index, monkeypatch):  # noqa: F811
    def no_parsing(text):
        raise AssertionError(f"parsed {text!r}")

    monkeypatch.setattr(matcher, "parse_query", no_parsing)
    assert index.match("Žirmūnų g. 12A").address.code == "1-12A"
    with pytest.raises(AssertionError, match="parsed 'Žirmūnų 12A'"):
        index.match("Žirmūnų 12A")
