"""Facts: what a message is about, read from the warehouse (counts and reasons only)."""
