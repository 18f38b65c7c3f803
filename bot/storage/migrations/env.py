"""Run Alembic migrations against the engine the assistant built."""

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

import bot.storage.needs_tables  # noqa: F401  (registers the needs tables)
import bot.storage.notify_tables  # noqa: F401  (registers the notification tables)
import bot.storage.offer_tables  # noqa: F401
import bot.storage.staff_tables  # noqa: F401  (registers the staff console tables)
import bot.storage.tables  # noqa: F401  (registers the tables on the metadata)
from bot.storage.db import make_engine

target_metadata = SQLModel.metadata
config = context.config


def run_migrations() -> None:
    """Run the migrations online, on the configured engine."""
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
