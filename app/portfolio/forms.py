"""Forms of the managers' pages, and the messages for lists that cannot be read."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.notifications.forms import EmailConsentMixin
from app.portfolio.services import MAX_ROWS, MAX_TYPED_LENGTH, InputError

# Per kind of unreadable list: what went wrong and what to do.
INPUT_ERROR_MESSAGES = {
    "empty": _l("Faile nėra nė vieno adreso. Pasirinkite failą, kuriame yra adresų stulpelis."),
    "not_csv_xlsx": _l("Pasirinkite CSV arba XLSX failą."),
    "old_excel": _l("Tai senas Excel (.xls) failas. Išsaugokite jį kaip XLSX arba CSV ir įkelkite dar kartą."),
    "binary": _l("Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą."),
    "encoding": _l(
        "Nepavyko perskaityti failo koduotės. Išsaugokite jį kaip „CSV UTF-8“ arba XLSX ir įkelkite dar kartą."
    ),
    "broken_xlsx": _l("XLSX failas sugadintas arba tai ne XLSX. Atidarykite jį Excel ir išsaugokite iš naujo."),
}


def input_error_message(error: InputError) -> str:
    """The message for a list that cannot be read."""
    if error.kind == "too_many":
        return str(
            _l(
                "Sąraše yra %(count)s adresų, o vienu kartu galima patikrinti iki %(max)s. "
                "Padalykite sąrašą į kelias dalis.",
                count=error.count,
                max=MAX_ROWS,
            )
        )
    return str(INPUT_ERROR_MESSAGES[error.kind])


class AddressListForm(FlaskForm):
    """Paste addresses, upload a file, or both."""

    addresses = TextAreaField(_l("Įklijuokite adresus"), validators=[Optional()], render_kw={"rows": 8})
    upload = FileField(_l("Arba įkelkite CSV ar XLSX failą"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.addresses.data or "").strip() and not self.upload.data:
            self.addresses.errors.append(_l("Įklijuokite bent vieną adresą arba pasirinkite failą"))
            return False
        return True


class PickForm(FlaskForm):
    """Which building an ambiguous row meant."""

    code = SelectField(_l("Kuris namas?"), choices=[], validate_choice=True)


class RetypeForm(FlaskForm):
    typed = StringField(
        _l("Pataisykite adresą"),
        validators=[DataRequired(_l("Įveskite adresą")), Length(max=MAX_TYPED_LENGTH)],
    )


class SaveForm(FlaskForm):
    name = StringField(
        _l("Sąrašo pavadinimas (nebūtina)"),
        validators=[Optional(), Length(max=200, message=_l("Pavadinimas turi būti ne ilgesnis nei 200 ženklų"))],
    )


class DigestSubscribeForm(EmailConsentMixin, FlaskForm):
    """One e-mail for every building of the list (digest messages); the fields are the sign-up page's own."""
