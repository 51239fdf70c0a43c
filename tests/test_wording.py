"""How a shutoff is worded: date ranges in each language's own form, weekdays, labels, the horizon."""

from datetime import date

import pytest

from app.wording import date_range, kind_label, overlaps_horizon, status_label, weekday_range

JUNE_3, JUNE_5, JUNE_30, JULY_2 = date(2026, 6, 3), date(2026, 6, 5), date(2026, 6, 30), date(2026, 7, 2)


@pytest.mark.parametrize(
    ("locale", "first", "last", "expected"),
    [
        ("lt", JUNE_3, JUNE_5, "birželio 3–5 d."),
        ("lt", JUNE_3, JUNE_3, "birželio 3 d."),
        ("lt", JUNE_30, JULY_2, "birželio 30 d. – liepos 2 d."),
        ("lt", date(2026, 1, 12), date(2026, 1, 12), "sausio 12 d."),
        ("lt", date(2026, 5, 20), date(2026, 5, 21), "gegužės 20–21 d."),
        ("en", JUNE_3, JUNE_5, "3–5 June"),
        ("en", JUNE_3, JUNE_3, "3 June"),
        ("en", JUNE_30, JULY_2, "30 June – 2 July"),
        ("ru", JUNE_3, JUNE_5, "3–5 июня"),
        ("ru", JUNE_3, JUNE_3, "3 июня"),
        ("ru", JUNE_30, JULY_2, "30 июня – 2 июля"),
        ("pl", JUNE_3, JUNE_5, "3–5 czerwca"),
        ("pl", JUNE_3, JUNE_3, "3 czerwca"),
        ("pl", JUNE_30, JULY_2, "30 czerwca – 2 lipca"),
        ("pl", date(2026, 9, 1), date(2026, 9, 2), "1–2 września"),
    ],
)
def test_a_range_is_written_in_the_languages_own_form(locale, first, last, expected):
    assert date_range(first, last, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("lt", "2026 m. birželio 3–5 d."),
        ("en", "3–5 June 2026"),
        ("ru", "3–5 июня 2026 г."),
        ("pl", "3–5 czerwca 2026 r."),
    ],
)
def test_the_year_is_written_when_asked(locale, expected):
    assert date_range(JUNE_3, JUNE_5, locale, with_year=True) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("lt", "2026 m. gruodžio 30 d. – 2027 m. sausio 2 d."),
        ("en", "30 December 2026 – 2 January 2027"),
        ("ru", "30 декабря 2026 г. – 2 января 2027 г."),
        ("pl", "30 grudnia 2026 r. – 2 stycznia 2027 r."),
    ],
)
def test_a_range_over_new_year_always_names_both_years(locale, expected):
    assert date_range(date(2026, 12, 30), date(2027, 1, 2), locale) == expected


def test_a_single_day_reads_like_a_range_of_one():
    assert date_range(JUNE_3, JUNE_3, "lt") == "birželio 3 d."
    assert date_range(JUNE_3, JUNE_3, "en", with_year=True) == "3 June 2026"


def test_unknown_or_regional_locales_fall_back_sensibly():
    assert date_range(JUNE_3, JUNE_5, "en_GB") == "3–5 June"
    assert date_range(JUNE_3, JUNE_5, "de") == "birželio 3–5 d."


def test_days_given_in_the_wrong_order_are_put_right():
    assert date_range(JUNE_5, JUNE_3, "lt") == "birželio 3–5 d."


@pytest.mark.parametrize(
    ("locale", "expected"), [("lt", "trečiadienis"), ("en", "Wednesday"), ("ru", "среда"), ("pl", "środa")]
)
def test_one_day_has_one_weekday(locale, expected):
    assert weekday_range(JUNE_3, JUNE_3, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("lt", "trečiadienis–penktadienis"),
        ("en", "Wednesday–Friday"),
        ("ru", "среда–пятница"),
        ("pl", "środa–piątek"),
    ],
)
def test_a_range_of_days_names_its_first_and_last_weekday(locale, expected):
    assert weekday_range(JUNE_3, JUNE_5, locale) == expected


def test_kinds_and_statuses_are_labelled_through_the_callers_gettext():
    english = {"hidrauliniai bandymai": "hydraulic tests", "Perkelta": "Moved"}.get
    assert kind_label("hydraulic_test") == "hidrauliniai bandymai"
    assert kind_label("hydraulic_test", lambda msgid: english(msgid, msgid)) == "hydraulic tests"
    assert kind_label("reconstruction") == "rekonstrukcija"
    assert status_label("moved", lambda msgid: english(msgid, msgid)) == "Moved"
    assert status_label("cancelled") == "Atšaukta"


def test_an_unknown_kind_or_status_is_shown_as_stored():
    assert kind_label("flushing") == "flushing"
    assert status_label("paused") == "paused"


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 5, 25), date(2026, 5, 31), False),  # ended yesterday
        (date(2026, 5, 30), date(2026, 6, 1), True),  # ends today: still on
        (date(2026, 6, 1), date(2026, 6, 1), True),
        (date(2026, 6, 29), date(2026, 7, 3), True),  # starts on the last day of the 28
        (date(2026, 6, 30), date(2026, 7, 3), False),  # starts the day after
        (date(2026, 5, 1), date(2026, 7, 31), True),  # spans the whole horizon
    ],
)
def test_the_horizon_is_today_and_the_next_28_days_ongoing_shutoffs_included(first, last, expected):
    assert overlaps_horizon(first, last, TODAY, 28) is expected
