"""Render: the dry run, messages shown in the terminal when no Slack token is set."""
