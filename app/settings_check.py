"""Settings checked and applied when the app starts: the secret key, production's requirements, the proxy.

Production refuses to start on a setting that would make it run wrong, with a message naming the setting;
development generates its own random key once. Behind N reverse proxies (`REVERSE_PROXY=N`) Werkzeug's
ProxyFix takes the client address, scheme and host from the X-Forwarded-* headers those proxies set.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

MIN_SECRET_KEY_LENGTH = 32
GENERATE_KEY_HINT = "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"


class SettingsError(RuntimeError):
    """A setting the app cannot run with; the message names it and says what to set."""

    def __init__(self, setting: str, problem: str):
        self.setting = setting
        super().__init__(f"{setting}: {problem}")


def apply_settings(app: Flask) -> None:
    """Fill in the secret key and check the settings; raises SettingsError naming the first wrong one."""
    if not app.config.get("SECRET_KEY"):
        if not app.config.get("GENERATES_SECRET_KEY"):
            raise SettingsError(
                "SECRET_KEY",
                "not set. A server needs a long random key in the environment, e.g. "
                f"{GENERATE_KEY_HINT}; on a development machine set APP_ENV=development instead "
                "(a random key is then kept in instance/secret_key).",
            )
        app.config["SECRET_KEY"] = development_secret_key(Path(app.config["SECRET_KEY_FILE"]))
    if app.config["REVERSE_PROXY"] < 0:
        raise SettingsError("REVERSE_PROXY", "the number of proxies in front must be 0 or more.")
    if app.config.get("IS_PRODUCTION"):
        _check_production(app)


def development_secret_key(path: Path) -> str:
    """The key kept in `path`, created once (64 random hex characters, readable by its owner only)."""
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= MIN_SECRET_KEY_LENGTH:
            return key
        raise SettingsError("SECRET_KEY", f"{path} holds no usable key; delete it and start again.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: of two processes starting at once, both end up with one key.
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(scratch, path)
    finally:
        os.unlink(scratch)
    return path.read_text(encoding="ascii").strip()


def _check_production(app: Flask) -> None:
    if len(app.config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError(
            "SECRET_KEY",
            f"shorter than {MIN_SECRET_KEY_LENGTH} characters. Production needs a long random key, e.g. "
            f"{GENERATE_KEY_HINT}.",
        )
    base = app.config.get("SERVER_BASE_URL") or ""
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise SettingsError(
            "SERVER_BASE_URL",
            f"must be the site's public https address, e.g. https://karstasvanduo.lt (got {base!r}). "
            "Every link in messages starts with it, and it names the only host the site answers to.",
        )
    storage = (app.config.get("RATELIMIT_STORAGE_URI") or "").strip()
    if not storage or storage.startswith("memory://"):
        raise SettingsError(
            "RATELIMIT_STORAGE_URI",
            "must be a store shared by every worker and machine, e.g. redis://127.0.0.1:6379/0 "
            "(memory:// counts per process and forgets on restart).",
        )
    gateway = urlsplit(app.config.get("SMS_GATEWAY_URL") or "")
    if app.config.get("NOTIFY_CHANNEL_SMS") == "sms_http" and (gateway.scheme != "https" or not gateway.hostname):
        raise SettingsError(
            "SMS_GATEWAY_URL",
            "must be the SMS gateway's https address when NOTIFY_CHANNEL_SMS=sms_http (the default). Without a "
            "gateway set NOTIFY_CHANNEL_SMS=off: the forms then take e-mail addresses only, never a phone number "
            "that would not be texted.",
        )
    # Requests naming another host are refused (400), so links built from the request cannot be steered.
    app.config["TRUSTED_HOSTS"] = [parts.hostname]


def init_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For, -Proto and -Host from the REVERSE_PROXY proxies in front (none by default)."""
    proxies = app.config["REVERSE_PROXY"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
