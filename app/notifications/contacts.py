"""Phone numbers and e-mail addresses as residents type them → the stored form. Pure Python."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """Not a phone number or e-mail address we can send to."""


def normalise_phone(raw: str, region: str = "LT") -> str:
    """`8 612 34567`, `+370 612 34567`, `(8-5) 212 3456` → E.164; InvalidContact otherwise."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact("not a valid number")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidContact("not a mobile number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """A deliverable-looking address (no DNS lookups), domain lower-cased; InvalidContact otherwise."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidContact(str(exc)) from exc
    return result.normalized


def mask_contact(contact: str) -> str:
    """`+37061234567` → `+370•••••567`, `vardas@example.lt` → `v•••@example.lt` for pages and logs."""
    if contact.startswith("+"):
        return contact[:4] + "•" * max(len(contact) - 7, 1) + contact[-3:]
    local, _, domain = contact.partition("@")
    return f"{local[:1]}•••@{domain}"
