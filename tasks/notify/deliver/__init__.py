"""Deliver: the outbox to Slack, once each, with retries (slack-sdk)."""
