"""The help page's options: a GET form bound to request.args, no CSRF (it changes nothing)."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Optional, Regexp

from app.forms import strip_whitespace
from app.i18n import language_choices
from app.widget.options import DEFAULT_ACCENT, HEX_COLOUR_PATTERN


class EmbedOptionsForm(Form):
    # Not "lang": that query parameter switches the help page's own language.
    language = SelectField(_l("Valdiklio kalba"), choices=language_choices(), default="lt", validate_choice=False)
    accent = StringField(
        _l("Akcento spalva"),
        filters=[strip_whitespace],
        default=DEFAULT_ACCENT,
        validators=[
            Optional(),
            Regexp(
                f"^{HEX_COLOUR_PATTERN}$",
                message=_l("Įveskite spalvą šešioliktainiu kodu, pavyzdžiui, #b10e1e"),
            ),
        ],
    )
