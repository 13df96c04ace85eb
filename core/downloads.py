"""A file sent at a bounded rate per download, as a reverse proxy's ``limit_rate`` would send it.

A few visitors downloading large files at full speed would otherwise take the server's uplink (a bureau's line is
often 100 Mbit/s) and, where the clients are near, the cores that serve pages: on the benchmark's 2 cores four clients
reading the open-data CSVs over loopback at about 1 GB/s cut the public list to 0.58 of its requests per second. Paced,
each download costs a wake-up per chunk and holds one thread of a ``gthread`` worker (as a slow client does anyway).

The first ``BURST`` bytes go at once, so small files are not slowed at all; after that the download keeps to ``rate``
bytes a second on average. ``rate`` 0: no bound (Django's ``FileResponse``, sent by the server's ``sendfile``). Behind
a reverse proxy that serves the file itself (X-Accel-Redirect), the same rate goes to it as ``X-Accel-Limit-Rate``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse

CHUNK = 64 * 1024
BURST = 1024 * 1024

# Looked up at each call, so that tests can stand in a clock of their own.
_now = time.monotonic
_sleep = time.sleep


def paced_chunks(fh: BinaryIO, rate: int) -> Iterator[bytes]:
    """The contents of ``fh`` in chunks, no faster than ``rate`` bytes a second after the first ``BURST``; closes
    ``fh`` at the end (or when the download is abandoned and the response closed)."""
    try:
        start, sent = _now(), 0
        while chunk := fh.read(CHUNK):
            yield chunk
            sent += len(chunk)
            ahead = (sent - BURST) / rate - (_now() - start)
            if ahead > 0:
                _sleep(ahead)
    finally:
        fh.close()


def paced_file_response(fh: BinaryIO, size: int, rate: int, **kwargs) -> FileResponse | StreamingHttpResponse:
    """A response sending ``fh`` (``size`` bytes) at ``rate`` bytes a second (0: at once, by ``FileResponse``)."""
    if rate <= 0:
        return FileResponse(fh, **kwargs)
    response = StreamingHttpResponse(paced_chunks(fh, rate), **kwargs)
    response["Content-Length"] = str(size)
    return response
