"""The address search: a GET form bound to request.args, no CSRF (it changes nothing)."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

MAX_QUERY_LENGTH = 200


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SearchForm(Form):
    """`q`: what the resident typed. The field id is `q` so the error summary links to the box."""

    q = StringField(
        _l("Jūsų adresas"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Įveskite adresą")),
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("Adresas turi būti ne ilgesnis nei %(max)d simbolių", max=MAX_QUERY_LENGTH),
            ),
        ],
    )
