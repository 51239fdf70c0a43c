"""The widget chc.lt embeds: `/embed` (the framed page), `/embed.js` (the snippet's script), `/embed/help`.

`/embed` sets no cookie: no session, no CSRF token, and the language comes only from `?lang=`.
It sends its own CSP (the shared header function keeps it), so allowed hosts may frame it.
"""

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.forms import SearchForm
from app.security import csp_nonce
from app.shutoffs.queries import answer_search
from app.timeutil import today_in_vilnius
from app.urls import absolute_url, base_url
from app.widget import options
from app.widget.answer import full_site_links, speak_widget_language
from app.widget.forms import EmbedOptionsForm
from app.widget.snippet import snippet_html

bp = Blueprint("widget", __name__)

SCRIPT_MAX_AGE_SECONDS = 3600


def _own_origin() -> str:
    return request.host_url.rstrip("/").lower()


def _own_origins() -> list[str]:
    """This site's origins: the request's, and SERVER_BASE_URL's (behind a proxy they may differ)."""
    return [_own_origin(), *options.clean_origins([current_app.config["SERVER_BASE_URL"]])]


def _allowed_origins() -> list[str]:
    return options.clean_origins(current_app.config["EMBED_ALLOWED_ORIGINS"])


@bp.get("/embed")
def embed():
    """The framed page: the address box (a GET form that works without JavaScript) and the answer."""
    lang = options.embed_language(request.args.get("lang"), current_app.config["LANGUAGES"])
    accent = options.accent_colour(request.args.get("accent"))
    # This site may be named by SERVER_BASE_URL too (behind a proxy the request may look like plain http).
    message_origins = [*_allowed_origins(), *_own_origins()]
    parent = options.parent_origin(request.args.get("parent"), message_origins, _own_origin())
    # What the search form carries over, so a search keeps the host's choices.
    keep = {"lang": lang}
    if accent != options.DEFAULT_ACCENT:
        keep["accent"] = accent
    if parent:
        keep["parent"] = parent

    speak_widget_language(lang)
    with force_locale(lang):
        form = SearchForm(request.args)
        searched = "q" in request.args
        valid = searched and form.validate()
        today = today_in_vilnius()
        answer = answer_search(form.q.data, today) if valid else None
        html = render_template(
            "widget/embed.html",
            lang=lang,
            accent=accent,
            accent_text=options.text_colour_on(accent),
            parent=parent,
            height_message=options.HEIGHT_MESSAGE,
            keep=keep,
            query=form.q.data or "",
            error=form.q.errors[0] if searched and form.q.errors else None,
            form_has_errors=bool(searched and form.q.errors),
            result=answer.result if answer else None,
            shutoffs=answer.shutoffs if answer else [],
            next_planned=answer.next_planned if answer else None,
            today=today,
            links=full_site_links(answer.result if answer else None, lang),
            link_target="_blank",
            heading_level=2,
        )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = options.embed_csp(csp_nonce(), _allowed_origins())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/embed.js")
def embed_js():
    """The snippet's script: finds the placeholders, inserts the iframe, follows its height."""
    body = render_template(
        "widget/embed.js",
        script_path=url_for("widget.embed_js"),
        frame_path=url_for("widget.embed"),
        height_message=options.HEIGHT_MESSAGE,
        allowed_origins=_allowed_origins(),
        refused_message=_(
            "Karštas vanduo: svetainė {origin} neįrašyta į leidžiamų sąrašą (EMBED_ALLOWED_ORIGINS), todėl "
            "paieška joje nerodoma ir lieka paprasta nuoroda. Kaip įrašyti svetainę: {help}"
        ),
        help_path=url_for("widget.help_page"),
    )
    response = make_response(body)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.cache_control.public = True
    response.cache_control.max_age = SCRIPT_MAX_AGE_SECONDS
    response.vary.add("Cookie")  # the console message speaks the reader's language
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/embed/help")
def help_page():
    """For chc.lt's web team: the snippet to paste, its options, and a live preview."""
    form = EmbedOptionsForm(request.args)
    form_has_errors = bool(request.args) and not form.validate()
    lang = options.embed_language(form.language.data, current_app.config["LANGUAGES"])
    accent = options.accent_colour(form.accent.data) if not form.accent.errors else options.DEFAULT_ACCENT
    snippet = snippet_html(absolute_url("widget.embed_js"), absolute_url("site.home", lang=lang), lang, accent)
    allowed = _allowed_origins()
    # The site a partner asked about (embed.js links here with ?origin= from a refused page).
    checked = form.origin.data if form.origin.data and not form.origin.errors else None
    return render_template(
        "widget/help.html",
        form=form,
        form_has_errors=form_has_errors,
        lang=lang,
        accent=accent,
        base_url=base_url(),
        snippet=snippet,
        allowed_origins=allowed,
        checked_origin=checked,
        checked_allowed=checked is not None and checked in [*allowed, *_own_origins()],
    )
