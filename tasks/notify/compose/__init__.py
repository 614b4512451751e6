"""Compose: Block Kit messages from facts, in Vietnamese or English (pure, no I/O)."""
