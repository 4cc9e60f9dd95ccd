"""Bytes to text: BOMs, UTF-8, declared charsets, detection, binary refusal."""

from __future__ import annotations

import pytest

from fftrack.ingest.decode import BinaryContent, declared_charset, decode_bytes, looks_binary


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("Café in Zürich, à côté de la fenêtre.", "latin-1"),
        ("Réfugiés: 800 Männer aus Großbritannien.", "cp1252"),
        ("أعلنت قوات سوريا الديمقراطية السيطرة على الرقة", "cp1256"),
        ("Боевики покинули Ракку и ушли к Дейр-эз-Зору.", "cp1251"),
        ("Mosul — «the old city» retaken.", "utf-16"),
        ("Mosul — «the old city» retaken.", "utf-8-sig"),
        ("Mosul — «the old city» retaken.", "utf-8"),
        ("Hajin ☪ 2018", "utf-32"),
    ],
)
def test_decodes_exactly(text: str, encoding: str) -> None:
    decoded, _used = decode_bytes(text.encode(encoding))
    assert decoded == text


def test_declared_charset_is_used() -> None:
    html = '<html><head><meta charset="windows-1256"></head><body>مرحبا</body></html>'
    data = html.encode("cp1256")
    assert declared_charset(data) == "cp1256"
    assert decode_bytes(data)[0] == html
    assert decode_bytes("قوات".encode("cp1256"), "windows-1256")[0] == "قوات"


def test_binary_refused() -> None:
    assert looks_binary(b"abc\x00def")
    assert looks_binary(bytes(range(1, 9)) * 20)
    assert not looks_binary(b"plain text\twith tabs\r\nand lines\n")
    with pytest.raises(BinaryContent):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_undecodable_never_raises() -> None:
    text, used = decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 10 + b" abc")
    assert isinstance(text, str) and used


def test_bomless_utf16() -> None:
    text = "Raqqa: fighters left for Deir ez-Zor — قوات"
    assert decode_bytes(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode_bytes(text.encode("utf-16-be")) == (text, "utf-16-be")
    with pytest.raises(BinaryContent):  # zeros every other byte, but not text
        decode_bytes(bytes([0x01, 0x00, 0x02, 0x00] * 50))
