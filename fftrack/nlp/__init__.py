"""The language pipeline: sentences, tokens, entities (spaCy)."""

from fftrack.nlp.pipeline import NlpPipeline, sentence_bounds

__all__ = ["NlpPipeline", "sentence_bounds"]
