"""Deliver the outbox: to Slack with a bot token, else rendered in the terminal."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from rich.console import Console

from flows.steps import warehouse
from tasks.notify.send import DeliveryReport, deliver_pending, make_client, render_pending
from tasks.settings import Settings


@task(cache_policy=NO_CACHE)
def deliver_outbox(settings: Settings) -> DeliveryReport | int:
    """Send pending messages once each; undelivered ones stay for the next run."""
    logger = get_run_logger()
    with warehouse(settings) as con:
        if settings.slack_bot_token is None:
            rendered = render_pending(con, Console())
            logger.info("SLACK_BOT_TOKEN not set: %d message(s) rendered (dry run)", rendered)
            return rendered
        client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
        report = deliver_pending(con, client)
    logger.info("Slack: %d sent, %d updated, %d failed", report.sent, report.updated, report.failed)
    for error in report.errors:
        logger.warning("Slack: %s", error)
    return report
