"""Settings: Config → DevelopmentConfig / TestConfig / ProductionConfig; secrets from the environment."""

import os
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _int_from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from exc


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip() or default
    # Hosting panels still hand out the old scheme; SQLAlchemy 2 wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SITE_NAME = "Karštas vanduo"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # Earlier SECRET_KEYs (space-separated) that still open the links already sent to subscribers (confirm,
    # manage, unsubscribe), so changing the key leaves the unsubscribe links in old e-mails working. Those links
    # also carry their subscription's own secret, so an old key alone opens nothing; sessions, forms and
    # managers' links never accept these keys.
    OLD_SECRET_KEYS: ClassVar[list[str]] = os.environ.get("OLD_SECRET_KEYS", "").split()
    # Development only: where a random key is generated once and kept (instance/ is git-ignored).
    SECRET_KEY_FILE = str(INSTANCE_DIR / "secret_key")
    GENERATES_SECRET_KEY = False
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'karstas-vanduo.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    SHUTOFF_HORIZON_DAYS = _int_from_env("SHUTOFF_HORIZON_DAYS", 28)
    EMBED_ALLOWED_ORIGINS = os.environ.get("EMBED_ALLOWED_ORIGINS", "https://www.chc.lt https://chc.lt").split()
    SITE_TIMEZONE = "Europe/Vilnius"
    VST_PHONE = "1840"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "lt"
    BABEL_DEFAULT_TIMEZONE = "Europe/Vilnius"
    # Code → the language named in itself; the one list of languages (app.i18n reads it).
    LANGUAGES: ClassVar[dict[str, str]] = {"lt": "Lietuvių", "en": "English", "ru": "Русский", "pl": "Polski"}
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Seconds: a Redis that stops answering fails the request quickly instead of holding a worker thread.
    RATELIMIT_STORAGE_OPTIONS: ClassVar[dict] = {"socket_timeout": 2, "socket_connect_timeout": 2}
    RATELIMIT_KEY_PREFIX = "karstas-vanduo"
    # While the shared store is down, each process counts on its own rather than failing every request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies (nginx, a load balancer) stand in front and set X-Forwarded-For/-Proto/-Host.
    REVERSE_PROXY = _int_from_env("REVERSE_PROXY", 0)
    PREFERRED_URL_SCHEME = "https"
    SERVER_BASE_URL = os.environ.get("SERVER_BASE_URL", "").rstrip("/")
    # Notifications (issue 6): channels are smtp | sms_http | console; development prints to the console.
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = _int_from_env("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "starttls")  # none | starttls | ssl
    SMTP_TIMEOUT = _int_from_env("SMTP_TIMEOUT", 15)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Karštas vanduo <pranesimai@karstasvanduo.lt>")
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
    SMS_SENDER = os.environ.get("SMS_SENDER", "VST")
    SMS_TIMEOUT = _int_from_env("SMS_TIMEOUT", 10)
    # The secret part of the delivery-receipt callback URL given to the SMS gateway; unset: no callback URL.
    SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")
    NOTIFY_CHANNEL_EMAIL = os.environ.get("NOTIFY_CHANNEL_EMAIL", "smtp")
    NOTIFY_CHANNEL_SMS = os.environ.get("NOTIFY_CHANNEL_SMS", "sms_http")
    NOTIFY_LEASE_SECONDS = _int_from_env("NOTIFY_LEASE_SECONDS", 120)
    TESTING = False
    DEBUG = False
    IS_PRODUCTION = False


class DevelopmentConfig(Config):
    GENERATES_SECRET_KEY = True
    PREFERRED_URL_SCHEME = "http"
    NOTIFY_CHANNEL_EMAIL = os.environ.get("NOTIFY_CHANNEL_EMAIL", "console")
    NOTIFY_CHANNEL_SMS = os.environ.get("NOTIFY_CHANNEL_SMS", "console")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 -- tests sign with a fixed, public key on purpose
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    PREFERRED_URL_SCHEME = "http"
    SERVER_BASE_URL = "http://localhost"
    NOTIFY_CHANNEL_EMAIL = "console"
    NOTIFY_CHANNEL_SMS = "console"


class UnnamedConfig(DevelopmentConfig):
    """APP_ENV not set: development settings, but no generated key (a server set up carelessly must not run
    on a key nobody chose); SECRET_KEY or APP_ENV=development is needed."""

    GENERATES_SECRET_KEY = False


class ProductionConfig(Config):
    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    """The settings class for `name`, else APP_ENV; neither given: development settings without a generated key."""
    key = (name or os.environ.get("APP_ENV") or "").strip().lower()
    if not key:
        return UnnamedConfig
    if key not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, got {key!r}")
    return CONFIGS[key]
