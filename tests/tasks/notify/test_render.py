"""Dry-run rendering: what a lead sees in the terminal when no token is set."""

from __future__ import annotations

import io

import duckdb
from rich.console import Console

from tasks.notify.compose.messages import build_plan_message
from tasks.notify.deliver.send import render_pending
from tasks.notify.render.terminal import render_message
from tests.tasks.notify.conftest import Enqueue, digest, row


def console() -> Console:
    return Console(file=io.StringIO(), width=160, record=True, color_system=None)


def test_render_shows_header_numbers_and_mentions() -> None:
    out = console()
    render_message(build_plan_message(digest(plan_name="Kế hoạch [thử] & xem")), "C0PLAN1", out)
    text = out.export_text()
    assert "C0PLAN1" in text
    assert "Kế hoạch phối hợp Kế hoạch [thử] & xem (Bình Dương) — kỳ 10/2026" in text
    assert "72,0% / 90%" in text and "Hồ sơ TTHC  12.345  12.000   345" in text
    assert "@S0CUTRU 1 chỉ tiêu chậm tiến độ" in text
    assert "<!subteam" not in text and "*Cần xử lý*" not in text  # markup rendered, not shown
    assert "Chi tiết lượt chạy (http://127.0.0.1:4200/runs/flow-run/abc-def)" in text


def test_render_pending_leaves_rows_untouched(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue
) -> None:
    keys = [enqueue("C0PLAN1"), enqueue("C0PLAN2")]
    before = [row(outbox, k) for k in keys]
    out = console()
    assert render_pending(outbox, out) == 2
    assert [row(outbox, k) for k in keys] == before
    assert out.export_text().count("(dry run)") == 2
