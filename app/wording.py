"""How the service words a shutoff, in every language and on every channel. Pure Python: no Flask, no database.

The site, the e-mails and SMS, the managers' exports and the iCalendar feeds all write dates, kinds and
statuses through this module, so a resident reads the same "birželio 3–5 d." everywhere.

Lithuanian needs the genitive month name ("birželio 3–5 d."), as do Russian ("3–5 июня") and Polish
("3–5 czerwca"); CLDR interval skeletons drop the "d.", reorder English ("June 3 – 5") and pick an em dash
for Russian, so the few patterns live here where a unit test pins each one.

Labels are Lithuanian msgids marked with `N_` for extraction; the caller passes the gettext of the
language it writes in (Flask-Babel's in a request, or one bound to a subscriber's language).
"""

from collections.abc import Callable
from datetime import date, timedelta

EN_DASH = "–"
DEFAULT_LANGUAGE = "lt"

MONTHS_GENITIVE = {
    "lt": (
        "sausio",
        "vasario",
        "kovo",
        "balandžio",
        "gegužės",
        "birželio",
        "liepos",
        "rugpjūčio",
        "rugsėjo",
        "spalio",
        "lapkričio",
        "gruodžio",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "pl": (
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
}

WEEKDAYS = {
    "lt": (
        "pirmadienis",
        "antradienis",
        "trečiadienis",
        "ketvirtadienis",
        "penktadienis",
        "šeštadienis",
        "sekmadienis",
    ),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    "pl": ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
}

# The year marker each language writes after a year number.
_YEAR_SUFFIX = {"en": "", "ru": " г.", "pl": " r."}


def N_(message: str) -> str:
    """Mark a msgid for extraction (pybabel's default keywords include N_); it is translated where shown."""
    return message


# Keyed by the values of app.shutoffs.models.ShutoffKind / ShutoffStatus (StrEnums compare equal to them).
KIND_LABELS = {
    "hydraulic_test": N_("hidrauliniai bandymai"),
    "repair": N_("remontas"),
    "reconstruction": N_("rekonstrukcija"),
}
STATUS_LABELS = {
    "planned": N_("Planuojama"),
    "moved": N_("Perkelta"),
    "cancelled": N_("Atšaukta"),
}


def _untranslated(message: str) -> str:
    return message


def language_of(locale: object) -> str:
    """ "lt", "en", "ru" or "pl" from a locale code or object ("en_GB" → "en"); anything else → "lt"."""
    language = str(locale or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    return language if language in MONTHS_GENITIVE else DEFAULT_LANGUAGE


def date_range(first: date, last: date, locale: object = DEFAULT_LANGUAGE, with_year: bool = False) -> str:
    """An inclusive range of days in the language's own form.

    lt: "birželio 3–5 d.", "birželio 30 d. – liepos 2 d.", "2026 m. birželio 3–5 d."
    en: "3–5 June", "30 June – 2 July", "3–5 June 2026"
    ru: "3–5 июня", "30 июня – 2 июля", "3–5 июня 2026 г."
    pl: "3–5 czerwca", "30 czerwca – 2 lipca", "3–5 czerwca 2026 r."
    One day reads like a range of one ("birželio 3 d."). The year is written when asked, and always when
    the range crosses a new year. Days given in the wrong order are put right.
    """
    if last < first:
        first, last = last, first
    language = language_of(locale)
    crosses_year = first.year != last.year
    with_year = with_year or crosses_year
    if language == "lt":
        return _lithuanian_range(first, last, with_year, crosses_year)
    months, suffix = MONTHS_GENITIVE[language], _YEAR_SUFFIX[language]

    def day_month(day: date, year: bool) -> str:
        text = f"{day.day} {months[day.month - 1]}"
        return f"{text} {day.year}{suffix}" if year else text

    if first == last:
        return day_month(first, with_year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{EN_DASH}{day_month(last, with_year)}"
    return f"{day_month(first, crosses_year)} {EN_DASH} {day_month(last, with_year)}"


def _lithuanian_range(first: date, last: date, with_year: bool, crosses_year: bool) -> str:
    months = MONTHS_GENITIVE["lt"]
    year = f"{first.year} m. " if with_year else ""
    if first == last:
        return f"{year}{months[first.month - 1]} {first.day} d."
    if (first.year, first.month) == (last.year, last.month):
        return f"{year}{months[first.month - 1]} {first.day}{EN_DASH}{last.day} d."
    end_year = f"{last.year} m. " if crosses_year else ""
    return f"{year}{months[first.month - 1]} {first.day} d. {EN_DASH} {end_year}{months[last.month - 1]} {last.day} d."


def weekday_name(day: date, locale: object = DEFAULT_LANGUAGE) -> str:
    """The day of the week, lower case where the language writes it so ("trečiadienis", "Wednesday")."""
    return WEEKDAYS[language_of(locale)][day.weekday()]


def weekday_range(first: date, last: date, locale: object = DEFAULT_LANGUAGE) -> str:
    """ "trečiadienis–penktadienis", or one weekday when the range is one day."""
    start, end = weekday_name(first, locale), weekday_name(last, locale)
    return start if first == last else f"{start}{EN_DASH}{end}"


def kind_label(kind: str, gettext: Callable[[str], str] = _untranslated) -> str:
    """What kind of work it is, lower case ("hidrauliniai bandymai"); an unknown kind is shown as stored."""
    msgid = KIND_LABELS.get(str(kind))
    return gettext(msgid) if msgid else str(kind)


def status_label(status: str, gettext: Callable[[str], str] = _untranslated) -> str:
    """The shutoff's status as a tag ("Perkelta"); an unknown status is shown as stored."""
    msgid = STATUS_LABELS.get(str(status))
    return gettext(msgid) if msgid else str(status)


def overlaps_horizon(first_day: date, last_day: date, today: date, days: int) -> bool:
    """True when the shutoff touches today … today + `days` (inclusive): ongoing ones count, ended ones do not.

    The one definition of "in the coming weeks" (SHUTOFF_HORIZON_DAYS, in days): the search answer, the API,
    the widget, the managers' table and the templates all ask it.
    """
    return last_day >= today and first_day <= today + timedelta(days=days)
