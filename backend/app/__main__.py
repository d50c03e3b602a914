"""Entrypoint: ``python -m app`` validates settings and serves on 0.0.0.0:$PORT."""

from __future__ import annotations

import logging
import sys

from app.settings import EXIT_CONFIG_ERROR, load_settings_or_report

logger = logging.getLogger("app")


def main() -> int:
    settings = load_settings_or_report()
    if settings is None:
        return EXIT_CONFIG_ERROR

    # Heavy imports only once the configuration is known to be good.
    import uvicorn

    from app.logging import configure_logging
    from app.main import create_app
    from app.migrate import upgrade_to_head

    configure_logging(settings.log_level)
    if settings.run_migrations:
        logger.info("applying database migrations")
        upgrade_to_head(settings.effective_database_url)
    logger.info(
        "starting helloagents-backend",
        extra={"environment": settings.environment.value, "version": settings.app_version},
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
