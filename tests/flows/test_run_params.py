"""Every flow that takes a period and a plan id checks them before anything else:
a bad period ("<!channel>", "2025-13") or an unknown plan id fails the run with
a sentence, no partner request is made and no outbox row is written."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from flows.backfill import backfill
from flows.periods import checked_period
from flows.serve import run_plan
from flows.sync_plan import sync_plan

PLAN = "binh-duong-cu-tru-dat-dai"


class Partner:
    """A real loopback HTTP server standing in for every partner API: it counts requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Count(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server calls
                seen.append(self.path)
                self.send_response(503)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Count)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def partner(prefect_api, tmp_path: Path, monkeypatch) -> Iterator[Partner]:
    partner = Partner()
    monkeypatch.setenv("PLAN06_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLAN06_SIMULATOR_URL", partner.url)
    monkeypatch.setenv("PLAN06_SIMULATOR_TOKEN", "t")
    for name in ("SLACK_BOT_TOKEN", "PLAN06_BD_DVC_URL"):
        monkeypatch.delenv(name, raising=False)
    try:
        yield partner
    finally:
        partner.server.shutdown()


def outbox_rows(data: Path) -> int:
    path = data / "plan06.duckdb"
    if not path.exists():
        return 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM ops.outbox").fetchone()[0]
    finally:
        con.close()


BAD = [
    (lambda: sync_plan(PLAN, "<!channel>"), "must be a month written YYYY-MM"),
    (lambda: sync_plan(PLAN, "2025-13"), "must be a month written YYYY-MM"),
    (lambda: sync_plan(PLAN, "1999-10"), "outside 2000..2099"),
    (lambda: sync_plan("<!channel>", "2026-10"), "lower-case letters, digits and dashes"),
    (lambda: sync_plan("no-such-plan", "2026-10"), f"the plans are {PLAN}, "),
    (lambda: run_plan(PLAN, "2026-1"), "must be a month written YYYY-MM"),
    (lambda: run_plan("no-such-plan"), "does not exist"),
    (lambda: backfill(PLAN, "2026-01", "<!here>"), "must be a month written YYYY-MM"),
    (lambda: backfill("no-such-plan", "2026-01", "2026-02"), "does not exist"),
]


@pytest.mark.parametrize(("call", "message"), BAD)
def test_a_bad_parameter_fails_before_any_partner_call_or_outbox_row(
    partner, tmp_path, call, message
):
    with pytest.raises(Exception, match=message.replace("(", r"\(").replace(".", r"\.")):
        call()
    assert partner.requests == []
    assert outbox_rows(tmp_path / "data") == 0


def test_the_period_type_accepts_what_the_plans_use():
    assert checked_period("2026-10") == "2026-10"
