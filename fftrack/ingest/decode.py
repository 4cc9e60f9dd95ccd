"""Bytes to text: BOMs, UTF-8, declared charsets, detection, and binary refusal.

Order of trust:
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. a NUL byte or a high share of control characters: the file is binary, refused, unless
   it is plainly UTF-16 without a BOM (most odd or even bytes NUL, printable once decoded);
3. strict UTF-8; UTF-8 with a few stray bytes (most high bytes in valid UTF-8 sequences)
   is read as UTF-8 with U+FFFD for the stray bytes, never re-read as cp1252;
4. a charset the file declares (HTML ``<meta charset>``, XML ``encoding=``, HTTP header);
5. detection: charset-normalizer for non-Latin scripts (cp1256 Arabic, Cyrillic, ...),
   cp1252/latin-1 when it gives plausible Western European text, else the detector's guess;
6. UTF-8 with replacement characters, as a last resort that never fails.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from typing import NamedTuple

log = logging.getLogger(__name__)

DECODER_VERSION = "ingest.decode.v1"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DETECT_SAMPLE = 256_000  # bytes given to the detector
_CONTROL_SAMPLE = 65_536
_CONTROL_RATIO = 0.10
_CONTROL_BYTES = frozenset(set(range(0, 32)) - {9, 10, 12, 13, 27}) | {127}
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,200}?encoding\s*=\s*["'])"""
    rb"""([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)


class BinaryContent(ValueError):
    """The bytes are not text."""


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or more than 10% control characters in the first 64 KiB."""
    sample = data[:_CONTROL_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    return controls / len(sample) > _CONTROL_RATIO


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML head declares, if Python knows it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _latin_share(text: str) -> float:
    """Share of the non-ASCII letters in ``text`` that are Latin letters (1.0 if none)."""
    letters = latin = 0
    for ch in text:
        if ch < "\x80" or not ch.isalpha():
            continue
        letters += 1
        if unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
    return latin / letters if letters else 1.0


def plausible_western(text: str) -> bool:
    """Does ``text`` read like Western European text (as cp1252 would give it)?

    Every non-ASCII character is a Latin letter or common punctuation/symbol, and they
    come alone or in short runs inside words (mis-decoded Arabic or Cyrillic gives long
    runs of accented letters).
    """
    runs: list[int] = []
    run = 0
    for ch in text:
        if ch < "\x80":
            if run:
                runs.append(run)
                run = 0
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("L"):
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
        elif not (cat[0] in "PSZ" or cat == "No"):
            return False
        run += 1
    if run:
        runs.append(run)
    if not runs:
        return True
    return sum(runs) / len(runs) <= 2.5


def detect_encoding(data: bytes) -> str | None:
    """The most likely single-byte encoding of ``data`` (not UTF-8), or ``None``.

    charset-normalizer's best guess is kept when it reads as a non-Latin script (Arabic
    cp1256, Cyrillic, Greek, ...). Otherwise cp1252 (a superset of latin-1's printable
    characters) wins when it gives plausible Western text: on short Western European
    texts the detector often prefers a Baltic or Central European code page.
    """
    sample = data[:_DETECT_SAMPLE]
    best_name: str | None = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None:
            best_name = _codec(best.encoding)
            if best_name and _latin_share(str(best)) < 0.5:
                return best_name
    except Exception:  # the detector must never stop a read
        log.debug("charset detection failed", exc_info=True)
    try:
        if plausible_western(sample.decode("cp1252")):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    return best_name


def bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark (as some Windows tools write it), or ``None``.

    Taken only when most (3 in 4) odd or even bytes are NUL and the decoded text is printable.
    """
    sample = data[:_CONTROL_SAMPLE]
    if len(sample) < 8 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros.count(0) / len(zeros) < 0.75:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            return None
        head = text[:_CONTROL_SAMPLE]
        printable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
        if printable / max(1, len(head)) >= 0.95:
            return text, enc
        return None
    return None


class Decoded(NamedTuple):
    """Decoded text, the codec used, and how it was chosen.

    ``how`` is one of ``"bom"``, ``"utf-8"``, ``"declared"`` (a charset the file or the
    HTTP header names), ``"guessed"`` (UTF-16 without BOM, or detection) and
    ``"replaced"`` (undecodable bytes became U+FFFD).
    """

    text: str
    encoding: str
    how: str

    @property
    def guessed(self) -> bool:
        """True when nothing in the data said which encoding it is: worth a warning."""
        return self.how in ("guessed", "replaced")

    def warning(self) -> str:
        """The one-line warning for a guessed or damaged decoding."""
        if self.how == "replaced":
            return (
                f"not valid {self.encoding.split('+')[0]}: undecodable bytes replaced by "
                "U+FFFD; check the text"
            )
        return f"not UTF-8: decoded as {self.encoding} (guessed); check the text"


# one valid UTF-8 sequence of 2 to 4 bytes
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray bytes: at least as many valid multi-byte UTF-8 sequences as
    bytes outside them. A legacy single-byte text (cp1252, cp1256) almost never forms
    valid UTF-8 sequences, so it is not taken for damaged UTF-8; and decoding damaged
    UTF-8 as cp1252 would change every good accented letter ("Zürich" -> "ZÃ¼rich").
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not high:
        return False
    sequences = 0
    in_sequences = 0
    for m in _UTF8_MULTIBYTE.finditer(data):
        sequences += 1
        in_sequences += m.end() - m.start()
    return sequences > 0 and sequences >= high - in_sequences


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``.

    Raises :class:`BinaryContent` for binary data. Never raises anything else.
    """
    decoded = decode_detail(data, declared)
    return decoded.text, decoded.encoding


def decode_detail(data: bytes, declared: str | None = None) -> Decoded:
    """:func:`decode_bytes`, saying also how the encoding was chosen (see :class:`Decoded`).

    Good UTF-8 is never re-read in another encoding; UTF-8 with a few stray bytes keeps
    its good characters (the stray bytes become U+FFFD) rather than being read as cp1252.
    """
    bom = bom_encoding(data)
    if bom:
        try:
            return Decoded(data.decode(bom), bom, "bom")
        except UnicodeDecodeError:
            return Decoded(data.decode(bom, errors="replace"), bom + "+replace", "replaced")
    if looks_binary(data):
        utf16 = bomless_utf16(data)
        if utf16 is not None:
            return Decoded(utf16[0], utf16[1], "guessed")
        raise BinaryContent("binary file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8+replace", "replaced")
    for enc in (_codec(declared), declared_charset(data)):
        if enc and enc != "utf-8":
            try:
                return Decoded(data.decode(enc), enc, "declared")
            except (UnicodeDecodeError, LookupError):
                continue
    enc = detect_encoding(data)
    if enc:
        try:
            return Decoded(data.decode(enc), enc, "guessed")
        except (UnicodeDecodeError, LookupError):
            try:
                return Decoded(data.decode(enc, errors="replace"), enc + "+replace", "replaced")
            except LookupError:
                pass
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8+replace", "replaced")
