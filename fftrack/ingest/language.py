"""The language of a document that declares none: its script, then py3langid.

A source's own declaration (a feed's ``<language>``, a page's ``lang``, a JSON Lines
``"language"``, a ``Language:`` header) always wins; this is the guess for the rest.

1. Text written mostly in letters of another script than Latin (Arabic, Cyrillic, ...) is
   ``None`` (unknown), as before: the identifier below only chooses among Latin-script
   languages.
2. Latin-script text of fewer than ``MIN_LETTERS`` letters is ``"en"``: no identifier is
   reliable on "Raqqa fell." (py3langid gives it 0.26).
3. Otherwise py3langid 0.4.0 (a maintained, MIT-licensed port of langid.py: a naive Bayes
   model over byte n-grams, offline, ~1 ms a text), restricted to ``CANDIDATES``, the
   Latin-script languages of the reporting fftrack reads, decides; a language other than
   English is taken only at a normalised probability of at least ``MIN_CONFIDENCE``, else
   the text is ``"en"``. English news and ACLED notes are full of foreign names
   ("Alzaafaranah", "Al-Shabaab"); the threshold keeps them English: over the 25,000 texts
   of ``../shared/eval/`` (ACLED notes, news, CASE, PLOVER) not one is labelled otherwise,
   while a French sentence of a dozen words scores 0.999.

``LANGUAGE_ID`` names this procedure.

py3langid ships its model LZMA-compressed (4.6 MB, 68 MB unpacked): unpacking it is most of
a second, at the start of every ``fftrack ingest``. The model restricted to ``CANDIDATES``
(its transition table and the candidates' columns, 42 MB) is kept uncompressed in the
cache directory (``cache_dir``, beside the gazetteer; :func:`model_cache_path`), written
the first time and read in a tenth of that after, its 39 MB transition table not read at
all but mapped in place (:func:`_mapped`); the identifier built from it is the same one
(the same arrays) and answers the same. Where the cache cannot be written or read, the
model is unpacked as before.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from array import array
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

LANGUAGE_ID = "ingest.langid.v1"  # py3langid 0.4.0 over CANDIDATES, MIN_CONFIDENCE
CANDIDATES = ("en", "fr", "es", "pt", "de", "it", "nl", "tr", "id")
MIN_CONFIDENCE = 0.9
MIN_LETTERS = 20
SAMPLE_CHARS = 5000
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "out")


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def model_cache_path(cache_dir: Path) -> Path:
    """Where the restricted model is kept under ``cache_dir``: named by what it is made of
    (py3langid's model file as installed, ``CANDIDATES``), so another install or another
    list of candidates makes its own."""
    st = _model_file().stat()
    key = f"{st.st_size}:{st.st_mtime_ns}:{','.join(CANDIDATES)}"
    return cache_dir / f"langid-{hashlib.sha1(key.encode()).hexdigest()[:16]}.npz"


def _restricted_arrays() -> dict[str, Any]:
    """py3langid's model (its own loader) restricted to ``CANDIDATES`` as its
    ``set_languages`` restricts it: the candidates' columns, in the model's order."""
    import numpy as np
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(_model_file())
    wanted = set(CANDIDATES)
    keep = [i for i, c in enumerate(classes) if c in wanted]
    return {
        "ptc": np.asarray(ptc)[:, keep],
        "pc": np.asarray(pc)[keep],
        "classes": np.array([classes[i] for i in keep]),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out": np.asarray(output, dtype=np.int32),
    }


def _cached_arrays(path: Path) -> dict[str, Any] | None:
    """The kept arrays; the transition table (``nextmove``, most of the file) read in
    place where it can be (:func:`_mapped`), the others read."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            mapped = _mapped(path, "nextmove")
            arrays = {k: data[k] for k in _ARRAYS if k != "nextmove" or mapped is None}
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged, cut short, unreadable: made again
        log.debug("language model cache %s unreadable (%s): made again", path, exc)
        return None
    if mapped is not None:
        arrays["nextmove"] = mapped
    return arrays


def _mapped(path: Path, name: str) -> memoryview | None:
    """The array ``name`` of the archive at ``path`` as a view of the file's own bytes
    (a read-only memory map), typed as :func:`_table` types it: ``np.savez`` stores each
    array uncompressed, so the 39 MB transition table needs no reading and no copy, and
    only the pages the texts' byte walks touch are ever read (shared by every process
    on the machine). ``None`` where the member is compressed or not a native unsigned
    array, or the file is shorter than its header says: the caller reads it then. The
    file is only ever replaced whole (:func:`_save_arrays`), never rewritten in place, so
    a map of it stays valid."""
    import mmap
    import zipfile

    import numpy as np

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"{name}.npy")
        if info.compress_type != zipfile.ZIP_STORED:
            return None
        with archive.open(info) as member:
            version = np.lib.format.read_magic(member)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(member)
            header = member.tell()
    code = _TYPECODES.get(dtype.itemsize)
    if dtype.kind != "u" or not dtype.isnative or fortran or len(shape) != 1 or code is None:
        return None
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)  # the member's local header: its name and extra field follow
        start = info.header_offset + 30 + int.from_bytes(local[26:28], "little")
        start += int.from_bytes(local[28:30], "little") + header
        view = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    end = start + shape[0] * dtype.itemsize
    if local[:4] != b"PK\x03\x04" or end > len(view):
        return None
    return view[start:end].cast(code)


def _save_arrays(path: Path, arrays: dict[str, Any]) -> None:
    """Write atomically (a temporary file renamed), so a reader never sees half a file."""
    import numpy as np

    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only or full cache directory: next time unpacked again
        log.debug("cannot keep the language model in %s: %s", path, exc)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _model_arrays() -> dict[str, Any]:
    from fftrack.config import settings

    try:
        path = model_cache_path(settings().resolved_cache_dir)
    except Exception as exc:  # no usable settings or cache directory: unpack as before
        log.debug("no language model cache (%s)", exc)
        return _restricted_arrays()
    arrays = _cached_arrays(path)
    if arrays is None:
        arrays = _restricted_arrays()
        _save_arrays(path, arrays)
    return arrays


_TYPECODES: dict[int, Literal["H", "I", "L"]] = {2: "H", 4: "I", 8: "L"}


def _table(values: Any) -> array[int] | memoryview:
    """An unsigned array as py3langid's loader makes it (``array('H')`` or ``('I')``);
    a view of the kept file (:func:`_mapped`) is one already, indexed the same."""
    if isinstance(values, memoryview):
        return values
    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import LanguageIdentifier

    a = _model_arrays()
    identifier = LanguageIdentifier(
        a["ptc"],
        a["pc"],
        a["classes"].tolist(),
        _table(a["nextmove"]),
        a["out"].tolist(),
        norm_probs=True,
        tk_row=_table(a["row"]),
    )
    identifier.set_languages(list(CANDIDATES))
    return identifier


_NOT_LATIN = re.compile("[^\x00-\u024f]+")  # past Latin Extended-B


def _script_counts(text: str) -> tuple[int, int]:
    """Letters in ``text``, and those of them in Basic Latin to Latin Extended-B."""
    letters = sum(map(str.isalpha, text))
    latin = sum(map(str.isalpha, _NOT_LATIN.sub("", text))) if letters else 0
    return letters, latin


def detect_language(text: str, sample: int = SAMPLE_CHARS) -> str | None:
    """The language of ``text`` (an ISO 639-1 code), ``None`` for non-Latin scripts."""
    head = text[:sample]
    letters, latin = _script_counts(head)
    if letters == 0:
        return "en"
    if latin / letters < 0.5:
        return None
    if letters < MIN_LETTERS:
        return "en"
    try:
        language, probability = _identifier().classify(head)
    except Exception:  # the identifier must never stop a read: the script rule stands
        log.debug("py3langid failed; taking the text as English", exc_info=True)
        return "en"
    if language != "en" and float(probability) >= MIN_CONFIDENCE:
        return str(language)
    return "en"
