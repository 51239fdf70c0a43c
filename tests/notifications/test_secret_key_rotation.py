"""Changing SECRET_KEY: links already in subscribers' inboxes keep working while the old key is listed in
OLD_SECRET_KEYS, and an old key still opens nothing without the subscription's own secret."""

from urllib.parse import urlsplit

from itsdangerous import URLSafeSerializer

from app.notifications import links
from tests.helpers.html import soup, text_of

OLD_KEY = "test-secret"  # TestConfig's key: the links below are signed with it
NEW_KEY = "n" * 64


def link_path(url: str) -> str:
    return urlsplit(url).path


def test_an_unsubscribe_link_from_before_the_key_changed_opens_while_the_old_key_is_listed(app, client, subscriber):
    sub = subscriber()
    path = link_path(links.unsubscribe_url(sub))
    app.config["SECRET_KEY"] = NEW_KEY

    assert client.get(path).status_code == 404

    app.config["OLD_SECRET_KEYS"] = [OLD_KEY]
    page = client.get(path)
    assert page.status_code == 200
    assert soup(page).select_one("main form button[type=submit]") is not None


def test_a_manage_link_from_before_the_key_changed_opens_while_the_old_key_is_listed(app, client, subscriber):
    sub = subscriber(contact="ona@example.lt")
    path = link_path(links.manage_url(sub))
    app.config.update(SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=[OLD_KEY])

    page = client.get(path)

    assert page.status_code == 200
    assert "o•••@example.lt" in text_of(page, "main")


def test_links_made_after_the_change_are_signed_with_the_new_key(app, client, subscriber):
    app.config.update(SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=[OLD_KEY])
    path = link_path(links.unsubscribe_url(subscriber()))
    app.config["OLD_SECRET_KEYS"] = []

    assert client.get(path).status_code == 200


def test_an_old_key_without_the_subscriptions_own_secret_opens_nothing(app, client, subscriber):
    sub = subscriber()
    app.config.update(SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=[OLD_KEY])
    forged = URLSafeSerializer(OLD_KEY, salt="notifications.unsubscribe").dumps([sub.id, "guessed"])

    assert client.get(f"/unsubscribe/{forged}").status_code in (404, 410)
