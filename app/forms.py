"""Form pieces more than one feature uses: the address search (site, widget, API) and the whitespace filter."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

# The longest address query the site, the widget and the API look up, in characters.
MAX_QUERY_LENGTH = 200


def strip_whitespace(value: str | None) -> str | None:
    """WTForms filter: leading and trailing whitespace never counts (a field of spaces is empty)."""
    return value.strip() if isinstance(value, str) else value


class SearchForm(Form):
    """The address search: a GET form bound to request.args, no CSRF (it changes nothing).

    `q`: what the resident typed. The field id is `q` so the error summary links to the box.
    """

    q = StringField(
        _l("Jūsų adresas"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message=_l("Įveskite adresą")),
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("Adresas turi būti ne ilgesnis nei %(max)d simbolių", max=MAX_QUERY_LENGTH),
            ),
        ],
    )
