"""A simulator endpoint of any size, for memory benchmarks (bench/pull_memory.py).

`GET /bulk/api/v1/dossiers?period=&page=&page_size=` serves `rows` dossiers,
made page by page from a pool of real generated ones with fresh MaHoSo, so
the server's own memory stays flat whatever `rows` is. Each pool dossier is
serialised once (orjson) and a page is joined from those bytes: the server
runs on the benchmark's machine, so the CPU it spends is taken from the
client being measured (stdlib JSON of 1,000 dicts a page cost ~20 µs a row).

    python -m simulator.bulk --rows 5000000 --port 8799
"""

from __future__ import annotations

import argparse
from functools import lru_cache

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.api import DEFAULT_TOKEN
from simulator.generator import generate_dossiers

POOL_PERIOD = "2026-10"


# MaHoSo is `<agency>-YYMMDD-XXXX` (the dossiers suite's regex): dossier i is the
# (i % 10000)-th of its agency's day, the day cycling through October, so codes
# stay unique and valid up to 99 agencies x 31 days x 10,000 = 30.69 M rows. (A
# 9-digit serial here once had the suite quarantine every row, and the bench
# timed the quarantine path.)
MAX_ROWS = 99 * 31 * 10_000


def dossier_code(i: int) -> bytes:
    """The `MaHoSo` of bulk dossier i: unique for i < MAX_ROWS."""
    sequence, rest = i % 10_000, i // 10_000
    return b"G22.74.%02d-2610%02d-%04d" % (1 + rest // 31, 1 + rest % 31, sequence)


@lru_cache(maxsize=1)
def _pool() -> tuple[bytes, ...]:
    """Each pool dossier as JSON without its MaHoSo and opening brace: `,"k":v,...}`."""
    pool = []
    for dossier in generate_dossiers("binh-duong", POOL_PERIOD):
        rest = orjson.dumps({k: v for k, v in dossier.items() if k != "MaHoSo"})
        pool.append(b"," + rest[1:] if rest != b"{}" else b"}")
    return tuple(pool)


def page_body(number: int, size: int, rows: int) -> bytes:
    """One page's JSON: the dossiers of the page, each with a fresh MaHoSo."""
    start, pool = (number - 1) * size, _pool()
    data = b",".join(
        b'{"MaHoSo":"' + dossier_code(i) + b'"' + pool[i % len(pool)]
        for i in range(start, min(start + size, rows))
    )
    more = start + size < rows
    head = b'{"page":%d,"page_size":%d,"total":%d,"next_page":%s,"data":[' % (
        number, size, rows, b"%d" % (number + 1) if more else b"null",
    )  # fmt: skip
    return head + data + b"]}"


def bulk_app(rows: int) -> Starlette:
    def page(request: Request) -> Response:
        number = int(request.query_params.get("page", "1"))
        size = int(request.query_params.get("page_size", "1000"))
        return Response(page_body(number, size, rows), media_type="application/json")

    return Starlette(routes=[Route("/bulk/api/v1/dossiers", page)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    if not 0 < args.rows <= MAX_ROWS:
        parser.error(f"--rows must be between 1 and {MAX_ROWS:,}: past it dossier codes repeat")
    _pool()
    uvicorn.run(bulk_app(args.rows), host="127.0.0.1", port=args.port, log_level="warning",
                access_log=False, lifespan="off")  # fmt: skip


if __name__ == "__main__":
    main()

__all__ = ["DEFAULT_TOKEN", "bulk_app"]
