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
"""

from __future__ import annotations

import functools
import logging
from typing import Any

log = logging.getLogger(__name__)

LANGUAGE_ID = "ingest.langid.v1"  # py3langid 0.4.0 over CANDIDATES, MIN_CONFIDENCE
CANDIDATES = ("en", "fr", "es", "pt", "de", "it", "nl", "tr", "id")
MIN_CONFIDENCE = 0.9
MIN_LETTERS = 20
SAMPLE_CHARS = 5000


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def _script_counts(text: str) -> tuple[int, int]:
    letters = latin = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ch < "\u0250":  # Basic Latin to Latin Extended-B
                latin += 1
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
