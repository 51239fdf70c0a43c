"""Staff-area forms (GOV.UK pattern: server-side validation, messages that say what to do)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired


class LoginForm(FlaskForm):
    email = EmailField(_l("El. pašto adresas"), validators=[InputRequired(_l("Įveskite el. pašto adresą"))])
    password = PasswordField(_l("Slaptažodis"), validators=[InputRequired(_l("Įveskite slaptažodį"))])


class UploadForm(FlaskForm):
    schedule = FileField(
        _l("Grafiko failas"),
        validators=[
            FileRequired(_l("Pasirinkite grafiko failą (CSV arba XLSX)")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Failas turi būti CSV arba XLSX")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button behind CSRF (publish, sign out)."""
