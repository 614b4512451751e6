"""The multi-worker scale test (issue 14): `python -m tests.scale`, `make scale-test`."""
