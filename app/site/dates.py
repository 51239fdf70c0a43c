"""Date ranges written the way each language writes them. Pure Python: no Flask, no Babel.

Lithuanian needs the genitive month name ("birželio 3–5 d."), as do Russian ("3–5 июня") and
Polish ("3–5 czerwca"); CLDR skeletons get the case or the "d." wrong for some of these, so the
few patterns live here where a unit test can pin each one.
"""

from datetime import date

EN_DASH = "–"

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


def _language(locale: str) -> str:
    language = str(locale or "lt").replace("-", "_").split("_")[0].lower()
    return language if language in MONTHS_GENITIVE else "lt"


def format_day(day: date, locale: str = "lt", with_year: bool = False) -> str:
    """One day: "birželio 3 d.", "3 June", "3 июня", "3 czerwca" (with the year when asked)."""
    return format_date_range(day, day, locale, with_year=with_year)


def format_date_range(first: date, last: date, locale: str = "lt", with_year: bool = False) -> str:
    """An inclusive range of days in the language's own form.

    lt: "birželio 3–5 d.", "birželio 30 d. – liepos 2 d.", "2026 m. birželio 3–5 d."
    en: "3–5 June", "30 June – 2 July", "3–5 June 2026"
    ru: "3–5 июня", "30 июня – 2 июля", "3–5 июня 2026 г."
    pl: "3–5 czerwca", "30 czerwca – 2 lipca", "3–5 czerwca 2026 r."
    The year is written when asked, and always when the range crosses a new year.
    """
    if last < first:
        first, last = last, first
    language = _language(locale)
    months = MONTHS_GENITIVE[language]
    crosses_year = first.year != last.year
    with_year = with_year or crosses_year

    if language == "lt":
        year = f"{first.year} m. " if with_year else ""
        if first == last:
            return f"{year}{months[first.month - 1]} {first.day} d."
        if first.month == last.month and first.year == last.year:
            return f"{year}{months[first.month - 1]} {first.day}{EN_DASH}{last.day} d."
        end_year = f"{last.year} m. " if crosses_year else ""
        return (
            f"{year}{months[first.month - 1]} {first.day} d. {EN_DASH} {end_year}{months[last.month - 1]} {last.day} d."
        )

    suffix = {"en": "", "ru": " г.", "pl": " r."}[language]

    def day_month(day: date, year: bool) -> str:
        text = f"{day.day} {months[day.month - 1]}"
        return f"{text} {day.year}{suffix}" if year else text

    if first == last:
        return day_month(first, with_year)
    if first.month == last.month and first.year == last.year:
        return f"{first.day}{EN_DASH}{day_month(last, with_year)}"
    return f"{day_month(first, crosses_year)} {EN_DASH} {day_month(last, with_year)}"


def weekday_name(day: date, locale: str = "lt") -> str:
    """The day of the week, lower case where the language writes it so."""
    return WEEKDAYS[_language(locale)][day.weekday()]
