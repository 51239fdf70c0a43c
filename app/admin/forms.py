"""Staff-area forms (GOV.UK pattern: server-side validation, messages that say what to do)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from app.requests import database_integer
from app.shutoffs.schedules import ScheduleNameError, clean_schedule_name


class HiddenNumberField(IntegerField):
    """A version or a count the page carries: ASCII digits within a database integer, else the form is invalid;
    int() never sees "٣" or a number longer than the database holds."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            self.data = database_integer(valuelist[0])
            if self.data is None:
                raise ValueError("not ASCII digits within a database integer")  # never shown: publish answers 400


class LoginForm(FlaskForm):
    email = EmailField(_l("El. pašto adresas"), validators=[InputRequired(_l("Įveskite el. pašto adresą"))])
    password = PasswordField(_l("Slaptažodis"), validators=[InputRequired(_l("Įveskite slaptažodį"))])


class UploadForm(FlaskForm):
    """A schedule file and the named schedule it goes into: one picked from the list, or a new name."""

    schedule_name = SelectField(_l("Grafikas"), choices=[], validate_choice=False)
    new_schedule_name = StringField(
        _l("Arba naujo grafiko pavadinimas"),
        description=_l(
            "Pavyzdžiui, „2027 hidrauliniai bandymai“. Įrašius pavadinimą, sąraše pasirinktas grafikas nenaudojamas."
        ),
    )
    schedule_file = FileField(
        _l("Grafiko failas"),
        validators=[
            FileRequired(_l("Pasirinkite grafiko failą (CSV arba XLSX)")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Failas turi būti CSV arba XLSX")),
        ],
    )

    def chosen_schedule(self) -> str:
        """The schedule the file goes into (after validate())."""
        return self.new_schedule_name.data or self.schedule_name.data

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        typed = self.new_schedule_name.data or ""
        if typed.strip():
            try:
                self.new_schedule_name.data = clean_schedule_name(typed)
            except ScheduleNameError as exc:
                self.new_schedule_name.errors = [*self.new_schedule_name.errors, str(exc)]
                return False
            return valid
        self.new_schedule_name.data = ""
        if self.schedule_name.data not in {value for value, _label in self.schedule_name.choices}:
            self.schedule_name.errors = [
                *self.schedule_name.errors,
                _l("Pasirinkite grafiką arba įrašykite naujo pavadinimą"),
            ]
            return False
        return valid


class PublishForm(FlaskForm):
    """Publish a previewed file: the preview's schedule version and cancellations come back as hidden fields."""

    version = HiddenNumberField(validators=[InputRequired()])
    cancellations = HiddenNumberField(validators=[InputRequired()])
    cancel_missing = BooleanField()
    confirm_count = StringField(_l("Atšaukiamų išjungimų skaičius"), validators=[Optional()])

    def typed_count(self) -> int | None:
        """The count staff typed to confirm the cancellations; None when nothing (or not a number) was typed."""
        return database_integer(self.confirm_count.data)
