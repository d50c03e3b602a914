"""Apply alembic migrations: in code (``RUN_MIGRATIONS=1``, tests) or as a one-shot command.

``python -m app.migrate`` is what the deploy pipeline's migration Job runs before a new colour
starts: it reads the service's settings, upgrades the schema to head, and exits 0 (2 on a
configuration error, 1 when the migration fails). Migrations must stay backward compatible: the
old colour keeps serving on the new schema until the switch, and a rollback does not downgrade
it (see docs/deploy.md).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
EXIT_MIGRATION_FAILED = 1

logger = logging.getLogger("app.migrate")


def alembic_config(database_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logger"] = False  # keep the caller's logging setup
    return config


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def main() -> int:
    from app.logging import configure_logging
    from app.settings import EXIT_CONFIG_ERROR, load_settings_or_report

    settings = load_settings_or_report()
    if settings is None:
        return EXIT_CONFIG_ERROR
    configure_logging(settings.log_level)
    logger.info("applying database migrations", extra={"environment": settings.environment.value})
    try:
        upgrade_to_head(settings.effective_database_url)
    except Exception as error:  # noqa: BLE001 - any failure is one line and exit 1
        # The class name only: driver messages can carry the connection string.
        print(f"migration failed: {error.__class__.__name__}", file=sys.stderr)
        return EXIT_MIGRATION_FAILED
    logger.info("database schema is at head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
