"""Unsubscribe needs a press of a button; the manage page changes buildings and lead times or deletes it all."""

from app.extensions import db
from app.notifications import links, tokens
from app.notifications.models import Channel, OutboxMessage, Subscription, SubscriptionAddress
from app.notifications.services import confirm
from app.notifications.tokens import Purpose
from tests.helpers.html import csrf_token, soup, text_of
from tests.helpers.subscribers import add_subscriber
from tests.notifications.helpers import sign_up, stored


def _confirmed(client, *addresses, email="jonas@example.lt") -> Subscription:
    sign_up(client, address_codes=[a.code for a in addresses], email=email)
    [sub] = stored(Subscription, Subscription.contact == email, Subscription.confirmed_at.is_(None))
    return confirm(sub)


def test_opening_the_unsubscribe_link_only_shows_a_button(client, make_address):
    sub = _confirmed(client, make_address())
    page = client.get(f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}")
    assert page.status_code == 200
    assert soup(page).select_one("form[method=post] button").text.strip() == "Atsisakyti pranešimų"
    assert db.session.get(Subscription, sub.id).unsubscribed_at is None


def test_pressing_the_button_unsubscribes(client, make_address):
    sub = _confirmed(client, make_address())
    url = f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}"
    done = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    assert "Pranešimų atsisakėte" in soup(done).select_one("h1").text
    assert db.session.get(Subscription, sub.id).unsubscribed_at is not None


def test_the_settings_page_after_unsubscribing_says_so_and_offers_a_new_sign_up(client, make_address):
    home = make_address(street="Antakalnio g.", number="10")
    sub = _confirmed(client, home)
    url = f"/unsubscribe/{links.token(sub, Purpose.UNSUBSCRIBE)}"
    client.post(url, data={"List-Unsubscribe": "One-Click"})  # the mail client's one-click button

    page = client.get(f"/manage/{links.token(sub, Purpose.MANAGE)}")

    assert text_of(page, "#unsubscribed .answer__headline") == "Pranešimų atsisakėte"
    assert text_of(page, "#unsubscribed p + p") == (
        "Į j•••@example.lt pranešimų nebesiunčiame. Jei vėl norite juos gauti, užsisakykite iš naujo."
    )
    assert soup(page).select_one("a.button")["href"] == f"/subscribe?address={home.code}"
    assert soup(page).select_one("form button[type=submit]") is None  # nothing left to save


def test_a_forged_or_tampered_link_is_a_404(client, make_address):
    sub = _confirmed(client, make_address())
    token = links.token(sub, Purpose.UNSUBSCRIBE)
    assert client.post(f"/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.get(f"/manage/{links.token(sub, Purpose.UNSUBSCRIBE)}").status_code == 404  # wrong purpose
    assert client.get(f"/u/{sub.id}.wrongsecret").status_code == 410  # a real subscription, not its secret
    assert client.get(f"/u/999{sub.id}.{sub.short_link_secret}").status_code == 404


def test_an_old_confirmation_link_says_it_expired(client, make_address, monkeypatch):
    sign_up(client, address_codes=[make_address().code], email="jonas@example.lt")
    [sub] = stored(Subscription)
    token = links.token(sub, Purpose.CONFIRM)
    monkeypatch.setitem(tokens.MAX_AGE, Purpose.CONFIRM, -1)
    page = client.get(f"/subscribe/confirm/{token}")
    assert page.status_code == 410
    assert "Nuoroda nebegalioja" in soup(page).select_one("h1").text


def test_the_manage_page_changes_buildings_and_lead_times(client, make_address):
    first, second = make_address(number="1"), make_address(number="2")
    sub = _confirmed(client, first, second)
    url = f"/manage/{links.token(sub, Purpose.MANAGE)}"
    page = client.get(url)
    assert {i["value"] for i in soup(page).select("input[name=address_codes][checked]")} == {first.code, second.code}
    saved = client.post(
        url,
        data={"csrf_token": csrf_token(page), "address_codes": [second.code], "lead_days": ["3"], "language": "en"},
    )
    assert saved.status_code == 303
    # The page now speaks the language just chosen for the messages.
    assert soup(client.get(saved.headers["Location"])).select_one("#saved").text == "Changes saved"
    sub = db.session.get(Subscription, sub.id)
    assert sub.address_codes == [second.code]
    assert sub.lead_days == [3]
    assert sub.language == "en"


def test_saving_the_settings_of_a_subscription_to_many_buildings_keeps_every_one(client, make_address):
    """A managers' list subscribes to up to 1,000 buildings; the settings page offered only the first 200, so
    changing the lead times dropped the rest without a word."""
    buildings = [make_address(number=str(n)) for n in range(1, 251)]
    sub = add_subscriber(Channel.EMAIL, "bendrija@example.lt", *(b.code for b in buildings), digest=True)
    url = f"/manage/{links.token(sub, Purpose.MANAGE)}"
    page = client.get(url)
    ticked = [i["value"] for i in soup(page).select("input[name=address_codes][checked]")]
    assert len(ticked) == 250
    saved = client.post(
        url, data={"csrf_token": csrf_token(page), "address_codes": ticked, "lead_days": ["5"], "language": "lt"}
    )
    assert saved.status_code == 303
    sub = db.session.get(Subscription, sub.id)
    assert (len(sub.address_codes), sub.lead_days) == (250, [5])


def test_confirming_again_for_a_known_contact_adds_the_buildings_to_it(client, make_address):
    first, second = make_address(number="1"), make_address(number="2")
    sub = _confirmed(client, first)
    merged = _confirmed(client, second)
    assert merged.id == sub.id
    assert merged.address_codes == [first.code, second.code]
    assert [s.id for s in stored(Subscription)] == [sub.id]


def test_delete_all_my_data_removes_the_contact_and_its_history(client, make_address):
    sub = _confirmed(client, make_address())
    sign_up(client, address_codes=[make_address(number="9").code], email="jonas@example.lt")  # a pending one too
    url = f"/manage/{links.token(sub, Purpose.MANAGE)}/delete"
    done = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    assert done.status_code == 303
    assert "Duomenys ištrinti" in soup(client.get(done.headers["Location"])).select_one("h1").text
    assert stored(Subscription) == []
    assert stored(SubscriptionAddress) == []
    assert stored(OutboxMessage) == []
    assert client.get(url.removesuffix("/delete")).status_code == 404
