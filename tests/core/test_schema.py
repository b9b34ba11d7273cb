"""Models and the migration head agree; the database is at head after start-up."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xietong.core import migrate
from xietong.core.db import database
from xietong.schema import metadata


async def test_database_is_at_the_migration_head():
    assert await migrate.current_revision(database().engine) == migrate.head_revision()


async def test_models_and_migrations_agree():
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, metadata)

    async with database().engine.connect() as connection:
        changes = await connection.run_sync(diff)
    assert changes == [], f"models differ from the migrations: run alembic revision --autogenerate ({changes})"
