"""What every template may call, registered by the app factory (no blueprint has to be loaded for it).

Shutoffs are worded through app.wording in the language being spoken, so a template of any feature (the
site, the widget, the managers' pages, the notices) writes dates, kinds and statuses the same way.
"""

from datetime import date
from urllib.parse import urlencode, urlsplit

from flask import Flask, current_app, request
from flask_babel import gettext, ngettext
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app import wording
from app.i18n import LANGUAGES, locale_code
from app.notifications.channels.off import sms_offered
from app.security import csp_nonce
from app.shutoffs.models import ShutoffKind, ShutoffStatus
from app.shutoffs.queries import active_shutoffs, horizon_days, is_cancelled, previous_days, within_horizon


def register_template_helpers(app: Flask) -> None:
    """Install the template globals on `app` (called once by create_app)."""
    app.jinja_env.globals.update(
        site_name=app.config["SITE_NAME"],
        language_names=LANGUAGES,
        current_locale=locale_code,
        csp_nonce=csp_nonce,
        path_without_language=path_without_language,
        date_range=date_range,
        weekday_range=weekday_range,
        kind_label=kind_label,
        status_label=status_label,
        within_horizon=within_horizon,
        nothing_planned_message=nothing_planned_message,
        is_cancelled=is_cancelled,
        active_shutoffs=active_shutoffs,
        previous_days=previous_days,
        sms_offered=sms_offered,
    )


def date_range(first: date, last: date, with_year: bool = False) -> str:
    """A range of days in the language being spoken ("birželio 3–5 d.", "3–5 June")."""
    return wording.date_range(first, last, locale_code(), with_year=with_year)


def weekday_range(first: date, last: date) -> str:
    """ "trečiadienis–penktadienis" (or one weekday) in the language being spoken."""
    return wording.weekday_range(first, last, locale_code())


def kind_label(kind: ShutoffKind | str) -> str:
    """ "hidrauliniai bandymai", translated."""
    return wording.kind_label(kind, gettext)


def status_label(status: ShutoffStatus | str) -> str:
    """ "Perkelta", translated."""
    return wording.status_label(status, gettext)


def nothing_planned_message() -> str:
    """ "Artimiausias 4 savaites išjungimų nenumatyta", from SHUTOFF_HORIZON_DAYS (weeks when it divides by 7)."""
    days = horizon_days()
    if days % 7 == 0:
        return ngettext(
            "Artimiausią %(num)d savaitę išjungimų nenumatyta",
            "Artimiausias %(num)d savaites išjungimų nenumatyta",
            days // 7,
        )
    return ngettext(
        "Artimiausią %(num)d dieną išjungimų nenumatyta",
        "Artimiausias %(num)d dienas išjungimų nenumatyta",
        days,
    )


def path_without_language() -> str:
    """This page's path and query minus `lang`, so the language switch can come back to it. A page answering
    a form posted to a path that has no page (`/managers/p/<token>/save`) comes back to the nearest path above
    it that has one (`/managers/p/<token>`), not to a 405."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    path = request.path if request.method in ("GET", "HEAD") else _page_path(request.path)
    return path + ("?" + urlencode(args) if args else "")


def _page_path(path: str) -> str:
    adapter = current_app.url_map.bind("localhost")
    while path:
        try:
            adapter.match(path, method="GET")
        except RequestRedirect as redirect:  # `/managers` → `/managers/`
            return urlsplit(redirect.new_url).path
        except HTTPException:
            path = path.rsplit("/", 1)[0]
        else:
            return path
    return "/"
