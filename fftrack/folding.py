"""Accent folding, the one step every name key of fftrack starts from.

The place keys (``fftrack.geo.normalize``: ``name_key`` and its skeletons) and the actor
keys (``fftrack.resolve.actors.fold``) both begin by dropping diacritics with
:func:`strip_marks`; each then folds what its own lookups need (place keys: Arabic
articles and a gazetteer's spellings; actor keys: transliteration digraphs). A pure
function with no import-time cost beyond ``unicodedata``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["strip_marks"]


def strip_marks(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks: "Dayr az-Zōr" -> "Dayr az-Zor"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
