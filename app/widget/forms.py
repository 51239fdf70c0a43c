"""The help page's options: a GET form bound to request.args, no CSRF (it changes nothing)."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from app.forms import strip_whitespace
from app.i18n import language_choices
from app.widget.options import DEFAULT_ACCENT, HEX_COLOUR_PATTERN, clean_origins

MAX_ORIGIN_LENGTH = 300


def site_origin(value: str | None) -> str | None:
    """WTForms filter: what a person types for their site (`www.chc.lt`, `https://www.chc.lt/karstas-vanduo`)
    → the origin a browser reports (`https://www.chc.lt`); other text is left for the validator to refuse."""
    if not value or not value.strip():
        return value
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return value
    if not parts.scheme or not parts.netloc:
        return value
    return f"{parts.scheme}://{parts.netloc}".lower()


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
    # The site a partner wants to show the widget on: is it allowed?
    origin = StringField(
        _l("Jūsų svetainės adresas"),
        filters=[site_origin],
        validators=[Optional(), Length(max=MAX_ORIGIN_LENGTH)],
    )

    def validate_origin(self, field) -> None:
        if field.data and not clean_origins([field.data]):
            raise ValidationError(_l("Įveskite svetainės adresą, pavyzdžiui, https://www.chc.lt"))
