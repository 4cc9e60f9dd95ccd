"""Zstandard (``.zst``) data, decompressed like gzip: capped, corrupt data reported.

``dump.jsonl.zst``, ``page.html.zst`` and ``notes.txt.zst`` are decompressed to at most
``max_bytes`` (the limit a gzip file has) and read by the extension inside. A zstd bomb
(a small file that inflates past the limit) is refused without holding more than one
chunk of its output: the size is counted on a streaming pass first, and only data
under the limit is kept. Truncated or corrupt data raises :class:`ZstdDataError`, which
the dispatcher turns into a failure naming the file.
"""

from __future__ import annotations

import io

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 20


class ZstdDataError(ValueError):
    """Zstandard data that is corrupt, or ends inside a frame."""


def unzstd(data: bytes, max_bytes: int) -> bytes | None:
    """Decompress zstd ``data`` (all frames) to at most ``max_bytes``; ``None`` if larger.

    Raises :class:`ZstdDataError` on corrupt or truncated data.
    """
    import zstandard

    try:
        # 1. count the output, a chunk at a time: a bomb is refused with bounded memory
        reader = zstandard.ZstdDecompressor().stream_reader(
            io.BytesIO(data), read_across_frames=True
        )
        size = 0
        with reader:
            while chunk := reader.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    return None
        # 2. under the limit: decompress frame by frame, which tells a frame cut short
        # (the streaming reader takes a truncated frame for its end)
        out: list[bytes] = []
        rest = data
        while rest:
            d = zstandard.ZstdDecompressor().decompressobj()
            out.append(d.decompress(rest))
            if not d.eof:
                raise ZstdDataError("compressed data ends early")
            rest = d.unused_data
    except zstandard.ZstdError as exc:
        raise ZstdDataError(" ".join(str(exc).split()) or "corrupt data") from None
    return b"".join(out)
