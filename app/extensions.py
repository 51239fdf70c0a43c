"""Extensions, created unbound; create_app() binds them."""

import enum
import logging
from datetime import UTC, datetime
from functools import partial

import flask_limiter
import flask_wtf
from flask import Flask, Response, current_app, request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Named constraints so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores UTC without a zone (same on SQLite and PostgreSQL); always reads back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def string_enum(kind: type[enum.Enum], name: str, length: int = 20) -> Enum:
    """A column type for an enum stored as its values in a plain VARCHAR(length), on SQLite and PostgreSQL alike.

    No native PostgreSQL enum and no CHECK constraint: adding a value needs no type migration.
    """
    return Enum(kind, name=name, native_enum=False, length=length, values_callable=lambda k: [m.value for m in k])


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, without its per-request passes while they have nothing to do.

    A limit decorating a view (every limit this site has) is checked by the decorator when the view is
    called. The before-request pass that Flask-Limiter runs for every request only checks the kinds of
    limit that decorate no view: application-wide, default, blueprint, meta and in-memory fallback limits.
    With none of those configured it resolves and evaluates an empty list (about 50 µs a request, the
    health probes and static files included); it is skipped until one of them is added.

    After the view, Flask-Limiter adds the X-RateLimit headers, makes the deductions a limit's
    `deduct_when` asks for, and (on teardown) resets its record of the request. All three read that record,
    which exists only once a limit was checked in the request; without it there is nothing to add, deduct or
    reset, and the after-request step and the teardown are skipped.
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        # Flask-Limiter gives its logger a NullHandler, which hides the one warning an operator must see: the
        # shared store is unreachable and each process now counts on its own. Without it the warning reaches
        # the service's log like the app's own warnings.
        self.logger.handlers = [h for h in self.logger.handlers if not isinstance(h, logging.NullHandler)]
        hooks = app.after_request_funcs.setdefault(None, [])
        for position, hook in enumerate(hooks):
            # Flask-Limiter registers partial(Limiter.__inject_headers, limiter) (as of 4.1).
            if isinstance(hook, partial) and hook.args == (self,):
                hooks[position] = partial(Limiter._after_checked_request, self, hook)

    @staticmethod
    def checked_this_request() -> bool:
        """Whether a limit was checked in the current request (Flask-Limiter keeps its record on the context)."""
        return hasattr(request_ctx._get_current_object(), "_limiter_request_context")

    def _after_checked_request(self, inject_headers, response: Response) -> Response:
        return inject_headers(response) if self.checked_this_request() else response

    def _Limiter__release_context(self, error: BaseException | None = None) -> None:  # Flask-Limiter's private teardown
        if self.checked_this_request():
            super()._Limiter__release_context(error)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and not self.has_limits_outside_views():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def has_limits_outside_views(self) -> bool:
        """True when an application-wide, default, blueprint, meta or fallback limit is configured."""
        # Flask-Limiter keeps these lists on private attributes (read as of Flask-Limiter 4.1, pinned in
        # requirements.txt); tests/test_limits.py fails if a new version renames them.
        manager = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or self._meta_limits
            or self._in_memory_fallback
        )


class CSRFProtect(flask_wtf.CSRFProtect):
    """Flask-WTF's CSRF protection, asking first whether the method is one it checks.

    Flask-WTF looks up the view's and blueprint's exemptions before the method (about 5 µs a request);
    a GET, HEAD or OPTIONS request is never checked whatever the exemptions say, so it returns first.
    Every POST is checked exactly as Flask-WTF checks it.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        super().protect(apply_exemptions)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
