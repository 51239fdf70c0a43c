"""Phone numbers and e-mail addresses as residents type them → the stored form and the identity. Pure Python.

Each contact has two forms: the display form we send to and show (`validated_email`, E.164 phone) and
the identity key (`identity_key`) that decides whether two sign-ups are the same person's inbox or phone.
"""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """Not a phone number or e-mail address we can send to."""


def normalise_phone(raw: str, region: str = "LT") -> str:
    """`8 612 34567`, `+370 612 34567`, `(8-5) 212 3456` → E.164 (`+37061234567`); InvalidContact when it is not
    a mobile number. Numbers without a country code are read in `region`."""
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


def validated_email(raw: str) -> str:
    """The address to send to and show: checked to look deliverable (syntax only, no DNS lookups), surrounding
    space removed, the domain lower-cased, the local part kept as typed (`Jonas@example.lt`). InvalidContact
    otherwise."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidContact(str(exc)) from exc
    return result.normalized


def needs_smtputf8(email: str) -> bool:
    """Whether mail to this address needs the SMTP server's SMTPUTF8 extension: its local part is not ASCII
    (`jūratė@example.lt`). A domain in Unicode does not (it travels in its ASCII form)."""
    return not email.rpartition("@")[0].isascii()


def identity_key(channel: str, contact: str) -> str:
    """Who a contact is, whatever its spelling: the case-folded e-mail address (`jonas@example.lt` for
    `Jonas@Example.LT`) or the E.164 phone number. `channel` is "email" or "sms" (notifications.models.Channel).

    Two sign-ups with the same key reach the same inbox or phone: confirmation merges them, "delete all my
    data" removes them all, and the rate limits count them together. InvalidContact for a contact that is
    not one; ValueError for another channel.
    """
    if channel == "email":
        return validated_email(contact).casefold()
    if channel == "sms":
        return normalise_phone(contact)
    raise ValueError(f"unknown channel {channel!r}")


def mask_contact(contact: str) -> str:
    """`+37061234567` → `+370•••••567`, `vardas@example.lt` → `v•••@example.lt` for pages and logs."""
    if contact.startswith("+"):
        return contact[:4] + "•" * max(len(contact) - 7, 1) + contact[-3:]
    local, _, domain = contact.partition("@")
    return f"{local[:1]}•••@{domain}"
