"""Forms of the managers' pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.notifications.forms import EmailConsentMixin
from app.portfolio.labels import ROLE_LABELS
from app.portfolio.parsing import MAX_TYPED_LENGTH
from app.requests import has_control_characters
from app.tabular.columns import Reading, Role


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


class ColumnsForm(FlaskForm):
    """How a paste's or file's columns are read: which row is the header, and a role per column.

    Make one with columns_form() (app.portfolio.page): it adds a `role_<n>` select per column.
    """

    header = SelectField(_l("Antraštės eilutė"), choices=[], validate_choice=True)

    def role_fields(self) -> list[SelectField]:
        return [field for name, field in self._fields.items() if name.startswith("role_")]

    def reading(self) -> Reading:
        """The reading the manager chose (call after validate())."""
        header = self.header.data
        return Reading(
            header_line=int(header) if header else None, roles=tuple(Role(f.data) for f in self.role_fields())
        )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        fields = self.role_fields()
        chosen: dict[str, list[SelectField]] = {}
        for field in fields:
            chosen.setdefault(field.data, []).append(field)
        for role in (Role.ADDRESS, Role.STREET, Role.HOUSE, Role.BLOCK, Role.CODE):
            if len(chosen.get(role, [])) > 1:
                chosen[role][1].errors.append(
                    _l("Pasirinkite „%(role)s“ tik vienam stulpeliui", role=ROLE_LABELS[role])
                )
                return False
        if Role.ADDRESS in chosen and any(role in chosen for role in (Role.STREET, Role.HOUSE, Role.BLOCK)):
            chosen[Role.ADDRESS][0].errors.append(
                _l("Pasirinkite arba stulpelį su visu adresu, arba gatvės ir namo numerio stulpelius, ne abu")
            )
            return False
        if Role.ADDRESS not in chosen and Role.STREET not in chosen and Role.CODE not in chosen:
            fields[0].errors.append(_l("Pasirinkite stulpelį su visu adresu arba stulpelį su gatve"))
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


def one_line(value: str | None) -> str | None:
    """WTForms filter: line breaks and tabs become single spaces, the ends are trimmed."""
    return " ".join(value.split()) if isinstance(value, str) else value


class SaveForm(FlaskForm):
    name = StringField(
        _l("Sąrašo pavadinimas (nebūtina)"),
        filters=[one_line],
        validators=[
            Optional(),
            Length(max=200, message=_l("Pavadinimas turi būti ne ilgesnis nei 200 ženklų")),
        ],
    )

    def validate_name(self, field) -> None:
        # No control character belongs in a name shown in a calendar, a file or a page title.
        if field.data and has_control_characters(field.data):
            raise ValidationError(_l("Pavadinime gali būti raidės, skaitmenys, tarpai ir skyrybos ženklai"))


class DigestSubscribeForm(EmailConsentMixin, FlaskForm):
    """One e-mail for every building of the list (digest messages); the fields are the sign-up page's own."""
