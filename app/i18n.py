"""The languages the service speaks and which one a request gets.

The list lives once, in config.Config.LANGUAGES (code → the language named in itself, Lithuanian first);
everything else (the language switch, the sign-up and widget forms, locale selection) reads it from here.
"""

from collections.abc import Mapping

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from wtforms import SelectChoice

from config import Config

LANGUAGES: Mapping[str, str] = Config.LANGUAGES


def select_locale() -> str:
    """Language from ?lang=, then the `lang` cookie; Lithuanian (BABEL_DEFAULT_LOCALE) by default.

    Outside a request (CLI commands, benchmarks) the default language is spoken.
    """
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get("lang")):
        if candidate in languages:
            return candidate
    return default


def locale_code() -> str:
    """The language being spoken now ("lt", "en", "ru", "pl"), as a plain string."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def language_choices() -> list[SelectChoice]:
    """Every language named in itself and marked with its own `lang`, for a select field."""
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]
