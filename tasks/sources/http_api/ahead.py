"""Pages fetched ahead, in a thread, while the landing converts and writes the last ones.

The socket reads, the waits for the server and Parquet's compression release
the GIL, so fetching page N+1 overlaps mapping and writing page N. The queue
is bounded (AHEAD_PAGES), so memory stays flat however slow the writer is;
an error of the fetching side (a repeated page, a refused token) is raised
to the consumer at the point where that page would have arrived, after the
pages before it, as without the thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
AHEAD_PAGES = 3  # ~3 pages of 1,000 records in flight: a few MB
_END = object()


def read_ahead(items: Iterator[T], depth: int = AHEAD_PAGES) -> Iterator[T]:
    """Yield what `items` yields, produced by a thread at most `depth` items ahead."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(entry: tuple[object, BaseException | None]) -> bool:
        while not stop.is_set():  # the consumer may have gone: never block for ever
            try:
                slots.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((item, None)):
                    return
            offer((_END, None))
        except BaseException as exc:  # handed to the consumer, raised there
            offer((_END, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # in this thread: the generator runs here, never in two at once

    thread = threading.Thread(target=produce, name="http-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()  # the consumer stopped (done, or failed): the producer ends its request
        thread.join()
