"""Alembic environment: shares the bot's connection at start-up, opens its own from the CLI."""

import asyncio
import os

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from xietong.schema import metadata

config = context.config
DEFAULT_URL = "sqlite+aiosqlite:///data/xietong.db"


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # one revision serves SQLite (table rebuilds) and PostgreSQL
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_cli() -> None:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("XIETONG_DATABASE_URL", DEFAULT_URL)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    asyncio.run(run_from_cli())
