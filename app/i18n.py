"""The languages the service speaks and which one a request gets.

The list lives once, in config.Config.LANGUAGES (code → the language named in itself, Lithuanian first);
everything else (the language switch, the sign-up and widget forms, locale selection) reads it from here.
"""

from collections.abc import Mapping

from flask import Response, current_app, has_request_context, request
from flask_babel import get_locale
from wtforms import SelectChoice

from config import Config

LANGUAGES: Mapping[str, str] = Config.LANGUAGES
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600
# Pages that never set a cookie (the widget inside a partner's page) or that are not pages (the JSON API).
NO_LANGUAGE_COOKIE_BLUEPRINTS = frozenset({"api", "widget"})


def select_locale() -> str:
    """Language from ?lang=, then the `lang` cookie; Lithuanian (BABEL_DEFAULT_LOCALE) by default.

    Outside a request (CLI commands, benchmarks) the default language is spoken.
    """
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in languages:
            return candidate
    return default


def locale_code() -> str:
    """The language being spoken now ("lt", "en", "ru", "pl"), as a plain string."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def language_choices() -> list[SelectChoice]:
    """Every language named in itself and marked with its own `lang`, for a select field."""
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]


def remember_language(response: Response, lang: str) -> Response:
    """Set the `lang` cookie (a year, first-party, not readable by scripts) on `response`."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        lang,
        max_age=LANGUAGE_COOKIE_MAX_AGE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


def remember_language_from_link(response: Response) -> Response:
    """After-request hook: a site page opened with ?lang= (a partner's link, the widget's "open the full site")
    keeps that language for the pages that follow (the next search, the building page), as the language switch
    does. The widget and the API never set a cookie; a language already remembered is left alone."""
    lang = request.args.get("lang")
    if (
        lang in current_app.config["LANGUAGES"]
        and request.cookies.get(LANGUAGE_COOKIE) != lang
        and request.blueprint not in NO_LANGUAGE_COOKIE_BLUEPRINTS
        and response.mimetype == "text/html"
    ):
        remember_language(response, lang)
    return response
