"""Archive-scale inputs (issue #13 item 4): a big folder walked, a WARC and a .jsonl.zst read.

    .venv/bin/python benchmarks/archives.py [--files 100000] [--records 500] [--keep DIR]

Prints, for a folder of ``--files`` empty files in one directory, the time and the peak
Python memory (tracemalloc) of :func:`fftrack.ingest.dispatch.walk_folder` walking it
sorted (the whole listing held) and streamed (over ``SORTED_FOLDER_MAX`` entries, as it
is walked); and for a ``.warc.gz`` of ``--records`` HTML responses and a ``.jsonl.zst``
of as many lines, documents read per second and peak memory (the HTML reader's
imports made before). Figures only: nothing is asserted, times vary with the machine's
load.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

PAGE = (
    "<html><head><title>Report {n}</title></head><body><article><p>Fighters attacked the "
    "town of Tal Afar on Sunday, killing at least {n} people, officials said. Hundreds of "
    "fighters moved from Mosul toward the border.</p></article></body></html>"
)


def measure(label: str, run: Callable[[], int]) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    n = run()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rate = n / elapsed if elapsed else float("inf")
    print(f"  {label:<34} {n:>9,} in {elapsed:6.2f} s {rate:>10,.0f} /s  peak {peak / 1e6:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--keep", type=Path, default=None, help="write the inputs here")
    args = parser.parse_args()

    import zstandard
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from fftrack.ingest import dispatch, read_file

    root = args.keep or Path(tempfile.mkdtemp(prefix="fftrack-archives-"))
    folder = root / "many"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(args.files):
        (folder / f"f{i:07d}.txt").touch()
    warc = root / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        for n in range(args.records):
            payload = io.BytesIO(PAGE.format(n=n).encode())
            uri = f"https://news.example.org/{n}"
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=payload, http_headers=http)
            )
    zst = root / "dump.jsonl.zst"
    lines = "".join(
        json.dumps({"id": str(n), "text": PAGE.format(n=n), "language": "en"}) + "\n"
        for n in range(args.records)
    )
    zst.write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))

    from fftrack.ingest.html import read_html

    list(read_html(PAGE.format(n=0), "warm-up"))  # trafilatura's imports, outside the figures
    print(f"archives benchmark ({root})")
    for cap, label in ((10**12, "walk, sorted (listing held)"), (10_000, "walk, streamed")):
        dispatch.SORTED_FOLDER_MAX = cap
        measure(label, lambda: sum(1 for _ in dispatch.walk_folder(folder)))
    measure("WARC.gz documents", lambda: sum(1 for _ in read_file(warc)))
    measure(".jsonl.zst documents", lambda: sum(1 for _ in read_file(zst)))
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
