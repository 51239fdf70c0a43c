"""The help page's options: a GET form bound to request.args, no CSRF (it changes nothing)."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, Regexp

from app.site.views import LANGUAGE_NAMES
from app.widget.options import DEFAULT_ACCENT, HEX_COLOUR_PATTERN

# Each language named in itself, marked with its own lang for screen readers.
LANGUAGE_CHOICES = [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class EmbedOptionsForm(Form):
    # Not "lang": that query parameter switches the help page's own language.
    language = SelectField(_l("Valdiklio kalba"), choices=LANGUAGE_CHOICES, default="lt", validate_choice=False)
    accent = StringField(
        _l("Akcento spalva"),
        filters=[_strip],
        default=DEFAULT_ACCENT,
        validators=[
            Optional(),
            Regexp(
                f"^{HEX_COLOUR_PATTERN}$",
                message=_l("Įveskite spalvą šešioliktainiu kodu, pavyzdžiui, #b10e1e"),
            ),
        ],
    )
