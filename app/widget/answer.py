"""The widget's answer: the site's own search answer, and links that open the full site in its language."""

from flask import has_request_context, request, url_for

from app.addresses.matcher import MatchResult

# Set by /embed for the request it answers; read by keep_widget_language below.
WIDGET_LANG_KEY = "karstas.widget_lang"
# Pages of the full site a widget link may open; they get the widget's language.
FULL_SITE_BLUEPRINTS = ("site.", "notifications.")


def speak_widget_language(lang: str) -> None:
    """Links to the full site rendered for this request carry ?lang=, so the new tab keeps the language."""
    request.environ[WIDGET_LANG_KEY] = lang


def keep_widget_language(endpoint: str | None, values: dict) -> None:
    """URL defaults hook (registered by create_app): while /embed renders, site links get `lang`."""
    if not has_request_context() or WIDGET_LANG_KEY not in request.environ or not endpoint:
        return
    if endpoint.startswith(FULL_SITE_BLUEPRINTS) and "lang" not in values:
        values["lang"] = request.environ[WIDGET_LANG_KEY]


def full_site_links(result: MatchResult | None, lang: str) -> dict[str, str]:
    """Where the widget sends a reader on the full site (in a new tab): home and, for a building, sign-up."""
    links = {"home": url_for("site.home", lang=lang)}
    if result is not None and result.status == "found" and result.address is not None:
        links["subscribe"] = url_for("notifications.subscribe", address=result.address.code, lang=lang)
    return links
