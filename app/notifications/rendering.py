"""Rendering message templates fast: a send run renders two templates per message for thousands of messages.

A template is rendered once per shape — (template, language, which values are empty) — with a marker in
place of each text value (a "sketch"); every message of that shape then only fills its own values in. A
marker carries an `&`, so the sketch shows where the template escaped a value for HTML (`&amp;`) and where it
put it in as is (a link through `|format … |safe`, every value of a .txt template): each value is filled
in the way the template would have written it.

A sketch is only used when it is exact: it is rendered with StrictUndefined (a template that reads anything
but the text values and the subscriber's language cannot be sketched), and the first message of each shape
is rendered in full as well and must come out the same character for character; otherwise that shape is
always rendered in full.
"""

import logging
import re
import weakref
from types import SimpleNamespace

from flask import current_app
from flask_babel import get_locale, get_translations
from jinja2 import Environment, StrictUndefined, Template, TemplateError
from markupsafe import Markup, escape

log = logging.getLogger(__name__)

# U+E000/U+E001 (private use) around the value's name; the "&" shows whether the template escaped it.
_MARK = "\ue000{}&\ue001"
_MARKED = re.compile("\ue000(\\w+)(&amp;|&)\ue001")
_MARK_CHARACTERS = re.compile("[\ue000\ue001]")
# Sketches kept per process (templates × languages × empty values); cleared when full.
MAX_SKETCHES = 512

# A sketch: text, and (value name, escaped) where each value goes. None: this shape is rendered in full.
Sketch = list[str | tuple[str, bool]] | None
_sketches: dict[tuple, Sketch] = {}
_NOT_YET: Sketch = []  # a sentinel: this shape has not been rendered yet
_strict_environments: "weakref.WeakKeyDictionary[Environment, Environment]" = weakref.WeakKeyDictionary()


def render(name: str, **context) -> str:
    """The template `name` rendered with `context` in the current locale (flask_babel.force_locale), as
    render_template would without the request-page extras; `_`/`gettext` as Jinja's new-style gettext.

    Text values (str) are filled into a sketch of the template when one is exact (see the module); any
    other value (a list of buildings, a digest's items) renders the template in full. `subscription` may
    be passed: a template reads only its `language`."""
    template = current_app.jinja_env.get_template(name)
    if not all(isinstance(value, str) for key, value in context.items() if key != "subscription"):
        return _render_in_full(template, context)
    language = getattr(context.get("subscription"), "language", None)
    key = (template, str(get_locale()), language, tuple(sorted((k, bool(v)) for k, v in context.items())))
    sketch = _sketches.get(key, _NOT_YET)  # one lookup: another thread may clear the cache at any time
    if sketch is _NOT_YET:
        if len(_sketches) >= MAX_SKETCHES:
            _sketches.clear()
        rendered = _render_in_full(template, context)
        _sketches[key] = _exact_sketch(name, language, context, rendered)
        return rendered
    if sketch is None:
        return _render_in_full(template, context)
    return "".join(part if isinstance(part, str) else _fill(context[part[0]], part[1]) for part in sketch)


def _fill(value: str, escaped: bool) -> str:
    return str(escape(value)) if escaped else value


def _gettext_for(autoescape: bool):
    """Jinja's new-style gettext with the current translations, bound once per render (Flask-Babel's
    per-call locale lookup was most of a message's rendering time)."""
    translations = get_translations()

    def gettext(string: str, **variables) -> str:
        text = translations.ugettext(string)
        if autoescape:
            text = Markup(text)  # noqa: S704 -- catalogue text is ours; the variables are escaped by %
        return text % variables

    return gettext


def _render_in_full(template: Template, context: dict) -> str:
    gettext = _gettext_for(bool(template.name and template.name.endswith(".html")))
    return template.render(**context, _=gettext, gettext=gettext)


def _exact_sketch(name: str, language: str | None, context: dict, rendered: str) -> Sketch:
    """The sketch of `name` for this shape of `context`, when filling it in gives `rendered` exactly."""
    if any(_MARK_CHARACTERS.search(value) for key, value in context.items() if key != "subscription"):
        return None  # a value that looks like a marker: this message cannot check the sketch
    marked: dict = {key: _MARK.format(key) if value else "" for key, value in context.items()}
    if "subscription" in context:
        marked["subscription"] = SimpleNamespace(language=language)
    try:
        template = _strict_environment().get_template(name)
        text = _render_in_full(template, marked)
    except TemplateError:
        log.info("template %s reads more than text values: rendered in full", name)
        return None
    sketch: list[str | tuple[str, bool]] = []
    position = 0
    for match in _MARKED.finditer(text):
        if match.group(1) not in context:
            return None
        sketch += [text[position : match.start()], (match.group(1), match.group(2) == "&amp;")]
        position = match.end()
    sketch.append(text[position:])
    filled = "".join(part if isinstance(part, str) else _fill(context[part[0]], part[1]) for part in sketch)
    if filled != rendered or _MARK_CHARACTERS.search(filled):
        log.warning("template %s does not sketch exactly: rendered in full", name)
        return None
    return sketch


def _strict_environment() -> Environment:
    """The app's Jinja environment, but any undefined name or attribute is an error."""
    environment = current_app.jinja_env
    if environment not in _strict_environments:
        _strict_environments[environment] = environment.overlay(undefined=StrictUndefined)
    return _strict_environments[environment]
