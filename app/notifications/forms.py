"""Sign-up, code and preferences forms, and the e-mail + consent part every sign-up form shares.

GOV.UK pattern: server-side validation, messages that say what to do.
"""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.addresses.matcher import AddressRecord
from app.notifications.channels import email_takes_international_addresses
from app.notifications.channels.off import sms_offered
from app.notifications.contacts import InvalidContact, needs_smtputf8, normalise_phone, validated_email
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
    """Buildings, lead times and language: shared by sign-up and the manage page.

    The buildings offered (`offer_buildings`) are the only ones that can be ticked; an address typed in
    `new_address` is looked up with `find_building` (text → the one building it names, or None) and ticked.
    """

    address_codes = MultiCheckboxField(_l("Pastatai"), choices=[], validate_choice=False)
    new_address = StringField(
        _l("Pridėti kitą pastatą"), validators=[Optional(), Length(max=200, message=_l("Adresas per ilgas"))]
    )
    lead_days = MultiCheckboxField(_l("Kada priminti"), coerce=int, choices=_lead_choices(), default=DEFAULT_LEAD_DAYS)
    language = SelectField(_l("Pranešimų kalba"), choices=[])
    hot_water_back = BooleanField(_l("Pranešti ir tada, kai darbai baigsis ir karštas vanduo turėtų būti grąžintas"))

    def __init__(self, *args, find_building: Callable[[str], AddressRecord | None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._find_building = find_building

    def offer_buildings(self, labels: dict[str, str]) -> None:
        """The buildings to show as checkboxes: register code → label, in this order."""
        self.address_codes.choices = [SelectChoice(code, label) for code, label in labels.items()]

    def validate_lead_days(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Pasirinkite, kada priminti"))

    def add_typed_building(self) -> bool:
        """Look up the address typed in `new_address` and tick its building (the field is then emptied); False,
        with the reason on the field, when nothing was typed or it does not name one building."""
        if not self.new_address.validate(self):
            return False
        typed = (self.new_address.data or "").strip()
        if not typed:
            self.new_address.errors = [_l("Įveskite adresą, pavyzdžiui, Žirmūnų g. 12A")]
            return False
        building = self._find_building(typed) if self._find_building else None
        if building is None:
            self.new_address.errors = [_l("Tokio pastato neradome. Patikslinkite adresą, pavyzdžiui, Žirmūnų g. 12A")]
            return False
        ticked = list(self.address_codes.data or [])
        if building.code not in ticked:
            ticked.append(building.code)
        offered = {choice.value: choice.label for choice in self.address_codes.choices}
        offered.setdefault(building.code, building.label)
        self.offer_buildings(offered)
        self.address_codes.data = ticked
        self.new_address.data = ""
        return True

    def _ticked_buildings_valid(self) -> bool:
        """Only offered buildings count; at least one is needed."""
        offered = {choice.value for choice in self.address_codes.choices}
        self.address_codes.data = [code for code in (self.address_codes.data or []) if code in offered]
        if not self.address_codes.data:
            self.address_codes.errors = [_l("Pasirinkite bent vieną pastatą arba įveskite adresą")]
            return False
        return True

    def validate(self, extra_validators=None) -> bool:
        """Every field, then the buildings: an address typed but not added yet is added first."""
        fields_valid = super().validate(extra_validators)
        typed = (self.new_address.data or "").strip()
        typed_valid = not self.new_address.errors and (not typed or self.add_typed_building())
        return typed_valid and self._ticked_buildings_valid() and fields_valid


def _consent_field() -> BooleanField:
    return BooleanField(
        CONSENT_TEXT, validators=[DataRequired(message=_l("Pažymėkite, kad sutinkate gauti pranešimus"))]
    )


class EmailConsentMixin:
    """The e-mail field, the consent checkbox and the e-mail check of every sign-up form (with FlaskForm)."""

    email = StringField(_l("El. pašto adresas"), validators=[Length(max=254)])
    consent = _consent_field()

    email_missing_message = _l("Įveskite el. pašto adresą")

    def other_contact_given(self) -> bool:
        """Whether another contact (a phone) may stand in for a missing e-mail address."""
        return False

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip()
        if not field.data:
            if self.other_contact_given():
                return
            raise ValidationError(self.email_missing_message)
        try:
            field.data = validated_email(field.data)
        except InvalidContact as exc:
            raise ValidationError(_l("Įveskite el. pašto adresą, pavyzdžiui, vardas@example.lt")) from exc
        if needs_smtputf8(field.data) and not email_takes_international_addresses():
            raise ValidationError(
                _l(
                    "Kol kas negalime siųsti laiškų adresams, kurių dalyje prieš @ yra raidžių su diakritikais ar ne "
                    "lotyniškų raidžių (pvz., š, ū, ж). Įveskite kitą el. pašto adresą arba telefono numerį"
                )
            )


class SubscribeForm(EmailConsentMixin, PreferencesForm):
    """The sign-up page: buildings and preferences, an e-mail address and/or a mobile number, consent."""

    phone = StringField(_l("Mobiliojo telefono numeris"), validators=[Length(max=40)])
    # Declared again after `phone` only to keep the page's order in the error summary (e-mail, phone, consent).
    consent = _consent_field()

    offers_sms = property(lambda _form: sms_offered())  # the templates show the phone field only then

    @property
    def email_missing_message(self):
        if sms_offered():
            return _l("Įveskite el. pašto adresą arba mobiliojo telefono numerį")
        return _l("Įveskite el. pašto adresą")

    def other_contact_given(self) -> bool:
        return sms_offered() and bool((self.phone.data or "").strip())

    def validate_phone(self, field) -> None:
        _validate_phone(field)


def _validate_phone(field) -> None:
    """An optional mobile number, stored in E.164; ignored (None) when SMS is off, as if the field were empty."""
    field.data = (field.data or "").strip() if sms_offered() else ""
    if field.data:
        try:
            field.data = normalise_phone(field.data)
        except InvalidContact as exc:
            raise ValidationError(
                _l("Įveskite mobiliojo telefono numerį, pavyzdžiui, 8 612 34567 arba +370 612 34567")
            ) from exc


class ManageAccessForm(FlaskForm):
    """Ask for a way into the settings: a link to the e-mail address, or a code to the phone."""

    email = StringField(_l("El. pašto adresas"), validators=[Length(max=254)])
    phone = StringField(_l("Mobiliojo telefono numeris"), validators=[Length(max=40)])
    offers_sms = property(lambda _form: sms_offered())  # the templates show the phone field only then

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip()
        if not field.data:
            if not sms_offered():
                raise ValidationError(_l("Įveskite el. pašto adresą"))
            if not (self.phone.data or "").strip():
                raise ValidationError(_l("Įveskite el. pašto adresą arba mobiliojo telefono numerį"))
            return
        try:
            field.data = validated_email(field.data)
        except InvalidContact as exc:
            raise ValidationError(_l("Įveskite el. pašto adresą, pavyzdžiui, vardas@example.lt")) from exc

    def validate_phone(self, field) -> None:
        _validate_phone(field)


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
