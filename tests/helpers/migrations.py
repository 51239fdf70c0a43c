"""A test database rebuilt by the migrations themselves, for tests of a migration's data changes."""

from flask_migrate import upgrade

from app.extensions import db


def migrate_empty_database(revision: str = "head") -> None:
    """Drop every table (and alembic's record of the schema), then upgrade to `revision` ("0003", or "head")."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(revision=revision)
