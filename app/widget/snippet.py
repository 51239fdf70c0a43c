"""The HTML chc.lt pastes: a placeholder (with a plain link for readers without JavaScript) and the script."""

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from app.widget.options import DEFAULT_ACCENT


def snippet_html(script_url: str, home_url: str, lang: str, accent: str = DEFAULT_ACCENT) -> str:
    """The snippet for one language and accent: `script_url` is this site's embed.js and `home_url` its
    home page in that language (both absolute), the plain link for readers without JavaScript."""
    with force_locale(lang):
        link_text = _("Ar bus karšto vandens? Patikrinkite savo adresą")
    accent_attr = f' data-accent="{escape(accent)}"' if accent != DEFAULT_ACCENT else ""
    return (
        f'<div data-karstas-vanduo data-lang="{escape(lang)}"{accent_attr}>\n'
        f'  <a href="{escape(home_url)}">{escape(link_text)}</a>\n'
        f"</div>\n"
        f'<script async src="{escape(script_url)}"></script>'
    )
