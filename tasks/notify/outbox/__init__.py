"""Outbox: messages queued in ops.outbox in the transaction of the data they describe."""
