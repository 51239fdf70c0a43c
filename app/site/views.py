"""Home page with the address search, and the language switch."""

from flask import Blueprint, abort, current_app, redirect, render_template, request

from app.urls import safe_next_path

bp = Blueprint("site", __name__)

LANGUAGE_NAMES = (("lt", "Lietuvių"), ("en", "English"), ("ru", "Русский"), ("pl", "Polski"))
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    query = request.args.get("q", "")
    return render_template("site/home.html", query=query)


@bp.get("/language/<lang>")
def set_language(lang: str):
    """Remember the chosen language in a cookie and go back to the page the reader was on."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next_path(request.args.get("next")))
    response.set_cookie("lang", lang, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure)
    return response
