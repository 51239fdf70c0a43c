"""Sign-up, code and preferences forms (GOV.UK pattern: server-side validation, messages that say what to do)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.notifications.contacts import InvalidContact, normalise_email, normalise_phone
from app.notifications.models import DEFAULT_LEAD_DAYS, LEAD_DAY_CHOICES

CONSENT_VERSION = "2026-11-25"
CONSENT_TEXT = _l(
    "Sutinku, kad Vilniaus šilumos tinklai man siųstų pranešimus apie karšto vandens išjungimus pasirinktais "
    "adresais. Mano kontaktas bus naudojamas tik šiems pranešimams, o jų galiu bet kada atsisakyti."
)

LEAD_DAY_LABELS = {
    14: _l("Prieš 14 dienų"),
    10: _l("Prieš 10 dienų"),
    7: _l("Prieš 7 dienas"),
    5: _l("Prieš 5 dienas"),
    3: _l("Prieš 3 dienas"),
    2: _l("Prieš 2 dienas"),
    1: _l("Prieš 1 dieną (išvakarėse)"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _lead_choices() -> list[SelectChoice]:
    return [SelectChoice(days, LEAD_DAY_LABELS[days]) for days in LEAD_DAY_CHOICES]


class PreferencesForm(FlaskForm):
    """Buildings, lead times and language: shared by sign-up and the manage page."""

    address_codes = MultiCheckboxField(_l("Pastatai"), choices=[], validate_choice=False)
    new_address = StringField(
        _l("Pridėti kitą pastatą"), validators=[Optional(), Length(max=200, message=_l("Adresas per ilgas"))]
    )
    lead_days = MultiCheckboxField(_l("Kada priminti"), coerce=int, choices=_lead_choices(), default=DEFAULT_LEAD_DAYS)
    language = SelectField(_l("Pranešimų kalba"), choices=[])

    def validate_lead_days(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Pasirinkite, kada priminti"))


class SubscribeForm(PreferencesForm):
    email = StringField(_l("El. pašto adresas"), validators=[Length(max=254)])
    phone = StringField(_l("Mobiliojo telefono numeris"), validators=[Length(max=40)])
    consent = BooleanField(
        CONSENT_TEXT, validators=[DataRequired(message=_l("Pažymėkite, kad sutinkate gauti pranešimus"))]
    )

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip()
        if not field.data and not (self.phone.data or "").strip():
            raise ValidationError(_l("Įveskite el. pašto adresą arba mobiliojo telefono numerį"))
        if field.data:
            try:
                field.data = normalise_email(field.data)
            except InvalidContact as exc:
                raise ValidationError(_l("Įveskite el. pašto adresą, pavyzdžiui, vardas@example.lt")) from exc

    def validate_phone(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data:
            try:
                field.data = normalise_phone(field.data)
            except InvalidContact as exc:
                raise ValidationError(
                    _l("Įveskite mobiliojo telefono numerį, pavyzdžiui, 8 612 34567 arba +370 612 34567")
                ) from exc


class CodeForm(FlaskForm):
    code = StringField(
        _l("Patvirtinimo kodas"),
        validators=[
            DataRequired(message=_l("Įveskite kodą iš SMS žinutės")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("Kodą sudaro 6 skaitmenys")),
        ],
    )


class ButtonForm(FlaskForm):
    """A form that is only a button (confirm, unsubscribe, delete): CSRF and nothing else."""
