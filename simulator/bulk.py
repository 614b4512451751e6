"""A simulator endpoint of any size, for memory benchmarks (bench/pull_memory.py).

`GET /bulk/api/v1/dossiers?period=&page=&page_size=` serves `rows` dossiers,
made page by page from a pool of real generated ones with fresh MaHoSo, so
the server's own memory stays flat whatever `rows` is.

    python -m simulator.bulk --rows 5000000 --port 8799
"""

from __future__ import annotations

import argparse
from functools import lru_cache

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.api import DEFAULT_TOKEN
from simulator.generator import generate_dossiers

POOL_PERIOD = "2026-10"


@lru_cache(maxsize=1)
def _pool() -> tuple[dict, ...]:
    return tuple(generate_dossiers("binh-duong", POOL_PERIOD))


def bulk_app(rows: int) -> Starlette:
    def page(request: Request) -> JSONResponse:
        number = int(request.query_params.get("page", "1"))
        size = int(request.query_params.get("page_size", "1000"))
        start, pool = (number - 1) * size, _pool()
        data = [
            pool[i % len(pool)] | {"MaHoSo": f"G22.74.01-261001-{i:09d}"}
            for i in range(start, min(start + size, rows))
        ]
        more = start + size < rows
        body = {"page": number, "page_size": size, "total": rows,
                "next_page": number + 1 if more else None, "data": data}  # fmt: skip
        return JSONResponse(body)

    return Starlette(routes=[Route("/bulk/api/v1/dossiers", page)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    _pool()
    uvicorn.run(bulk_app(args.rows), host="127.0.0.1", port=args.port, log_level="warning",
                access_log=False, lifespan="off")  # fmt: skip


if __name__ == "__main__":
    main()

__all__ = ["DEFAULT_TOKEN", "bulk_app"]
