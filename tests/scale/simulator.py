"""The province simulator as its own process for the scale test: prints its URL, serves.

    python -m tests.scale.simulator --drops DIR --scale 0.5 2026-10 2026-11

Generated provinces come from PLAN06_SIMULATOR_PROVINCES (simulator/generated.py),
read at import, so the variable is set before this process starts.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from simulator.server import DEFAULT_TOKEN, start_in_thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("periods", nargs="+")
    parser.add_argument("--drops", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    handle = start_in_thread(token=DEFAULT_TOKEN, scale=args.scale, drop_root=args.drops,
                             drop_periods=args.periods)  # fmt: skip
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(handle.url, flush=True)
    stop.wait()
    handle.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
