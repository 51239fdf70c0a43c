"""The schema comes from migrations; they must build exactly what the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from tests.helpers.migrations import migrate_empty_database


def test_migrations_build_the_schema_the_models_describe(app):
    migrate_empty_database()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
