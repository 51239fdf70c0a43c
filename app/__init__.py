"""Karštas vanduo: will my building lose hot water in the coming weeks?"""

from pathlib import Path

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, SecurityError

from app.extensions import babel, csrf, db, limiter, migrate
from app.health import init_health
from app.i18n import remember_language_from_link, select_locale
from app.json_responses import JSONResponses
from app.requests import init_requests
from app.security import init_security
from app.settings_check import apply_settings, init_proxy
from app.static_files import init_static_versions
from config import config_for


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application for APP_ENV (or config_name), with optional setting overrides."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = JSONResponses(app)
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    apply_settings(app)
    init_proxy(app)
    init_requests(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    _import_models()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_security(app)
    app.before_request(_forget_previous_locale)
    app.after_request(remember_language_from_link)

    _register_template_helpers(app)
    _register_blueprints(app)
    init_health(app)
    init_static_versions(app)
    _register_cli(app)
    _register_error_pages(app)
    return app


def _forget_previous_locale() -> None:
    # Flask-Babel caches the locale on g, and one app context can span several requests
    # (the test client, CLI commands that render); the language is chosen per request.
    g.pop("_flask_babel", None)


def _import_models() -> None:
    """Every model module, so the metadata (and Alembic) sees every table."""
    import app.addresses.models
    import app.admin.models
    import app.datacache
    import app.notifications.models
    import app.portfolio.models
    import app.shutoffs.models  # noqa: F401


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"


def _register_template_helpers(app: Flask) -> None:
    from app.templating import register_template_helpers

    register_template_helpers(app)


def _register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.api.views import bp as api_bp
    from app.notifications.views import bp as notifications_bp
    from app.portfolio.views import bp as portfolio_bp
    from app.site.views import bp as site_bp
    from app.widget.answer import keep_widget_language
    from app.widget.views import bp as widget_bp

    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(portfolio_bp)
    app.register_blueprint(site_bp)
    app.register_blueprint(widget_bp)
    # App-wide on purpose: the widget renders links to the site's and the sign-up's pages, and those
    # must open in the widget's language (a blueprint's own url_defaults only sees its own endpoints).
    app.url_defaults(keep_widget_language)


def _register_cli(app: Flask) -> None:
    from app.addresses.cli import addresses_cli
    from app.admin.cli import users_cli
    from app.demo import demo_cli
    from app.notifications.cli import notify_cli
    from app.portfolio.cli import managers_cli
    from app.shutoffs.cli import shutoffs_cli

    app.cli.add_command(addresses_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(managers_cli)
    app.cli.add_command(shutoffs_cli)
    app.cli.add_command(users_cli)


def _register_error_pages(app: Flask) -> None:
    # Anything under the API's prefix answers in JSON, matched route or not.
    api_prefix = app.blueprints["api"].url_prefix.rstrip("/") + "/"

    def page(template: str, status: int):
        def handler(error):
            if request.path.startswith(api_prefix):
                return {"error": _("Not found") if status == 404 else _("Server error")}, status
            return render_template(template), status

        return handler

    def bad_request(error: BadRequest):
        # A form whose CSRF token expired or never came (cookies blocked) lands here: say so in the reader's
        # language. Not for the API, nor for a Host this site does not answer to (its page could not be built).
        if request.path.startswith(api_prefix) or isinstance(error, SecurityError):
            return error
        return render_template("errors/400.html"), 400

    app.register_error_handler(400, bad_request)
    app.register_error_handler(404, page("errors/404.html", 404))
    app.register_error_handler(500, page("errors/500.html", 500))
