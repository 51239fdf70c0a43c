"""Addresses in Unicode: what the sign-up form accepts, the SMTP channel delivers (SMTPUTF8, RFC 6531), or the
form refuses it with a clear message. Against a real SMTP server (aiosmtpd) with and without SMTPUTF8."""

import pytest
from aiosmtpd.controller import Controller

from app.notifications import channels
from app.notifications.channels import OutgoingMessage, PermanentFailure
from app.notifications.channels.smtp import SMTPChannel
from app.notifications.models import Subscription
from tests.helpers.html import text_of
from tests.notifications.helpers import Mailbox, free_port, sign_up, stored


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def server(request):
    """An SMTP server on loopback, offering SMTPUTF8 or not; (controller, mailbox, offers it)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=request.param)
    controller.start()
    yield controller, mailbox, request.param
    controller.stop()


def _message(to: str) -> OutgoingMessage:
    return OutgoingMessage(to=to, subject="Patvirtinkite", text="Sveiki", idempotency_key="outbox-1")


def _channel(controller) -> SMTPChannel:
    return SMTPChannel("127.0.0.1", controller.port, sender="Karštas vanduo <pranesimai@example.lt>", security="none")


def test_a_local_part_in_unicode_goes_with_smtputf8_or_fails_for_good_with_the_reason(server):
    controller, mailbox, offers_smtputf8 = server
    with _channel(controller) as channel:
        assert channel.offers_smtputf8() is offers_smtputf8
        if offers_smtputf8:
            channel.send(_message("jūratė@example.lt"))
        else:
            with pytest.raises(PermanentFailure, match="does not take internationalised addresses"):
                channel.send(_message("jūratė@example.lt"))
    if offers_smtputf8:
        assert mailbox.envelopes == [("pranesimai@example.lt", ["jūratė@example.lt"])]
        assert mailbox.messages[0]["To"] == "jūratė@example.lt"
    else:
        assert mailbox.envelopes == []


def test_a_domain_in_unicode_travels_in_its_ascii_form_on_any_server(server):
    controller, mailbox, _offers = server
    with _channel(controller) as channel:
        channel.send(_message("ona@ąžuolas.lt"))
    assert mailbox.envelopes == [("pranesimai@example.lt", ["ona@xn--uolas-2wa16f.lt"])]
    assert mailbox.messages[0]["To"] == "ona@xn--uolas-2wa16f.lt"


def test_the_sign_up_takes_a_unicode_address_only_when_the_server_can_deliver_to_it(
    app, client, server, make_address, monkeypatch
):
    controller, mailbox, offers_smtputf8 = server
    monkeypatch.setattr(channels, "_smtputf8_checked", {})
    app.config.update(
        NOTIFY_CHANNEL_EMAIL="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SECURITY="none"
    )
    answer = sign_up(client, address_codes=[make_address().code], email="jūratė@example.lt")
    if offers_smtputf8:
        assert answer.status_code == 303
        assert [s.contact for s in stored(Subscription)] == ["jūratė@example.lt"]
        assert mailbox.envelopes[0][1] == ["jūratė@example.lt"]
    else:
        assert answer.status_code == 200
        assert text_of(answer, "#email-error") == (
            "Klaida: Kol kas negalime siųsti laiškų adresams, kurių dalyje prieš @ yra raidžių su diakritikais ar ne "
            "lotyniškų raidžių (pvz., š, ū, ж). Įveskite kitą el. pašto adresą arba telefono numerį"
        )
        assert stored(Subscription) == []
