from fftrack.nlp.pipeline import split_text


def test_split_text_joins_back_exactly():
    text = ("Raqqa fell in October. " * 50 + "\n\n") * 40
    pieces = split_text(text, limit=1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p[-1].isspace() for p in pieces[:-1])


def test_split_text_without_whitespace_is_hard_cut():
    text = "x" * 2500
    pieces = split_text(text, limit=1000)
    assert "".join(pieces) == text and len(pieces) == 3


def test_pipe_keeps_order_and_offsets_of_long_texts(nlp):
    long_text = "Fighters fled Raqqa toward Deir ez-Zor. " * 3000  # > one chunk
    old = nlp.chunk_chars
    nlp.chunk_chars = 20_000
    try:
        docs = list(nlp.pipe(["Short one.", long_text, "Idlib."]))
    finally:
        nlp.chunk_chars = old
    assert [d.text for d in docs] == ["Short one.", long_text, "Idlib."]
    ents = [e for e in docs[1].ents if e.text == "Raqqa"]
    assert ents and all(long_text[e.start_char : e.end_char] == "Raqqa" for e in ents)


def test_line_breaks_start_sentences_but_hard_wraps_do_not(nlp):
    text = (
        "2013\n- On 5 March, a bomb hit the market. 12 people were killed.\n"
        "- On 6 March, 187 people died.\nAftermath\nThe next day forces in\nKafr Nabl were shelled."
    )
    sents = [s.text.strip() for s in nlp(text).sents]
    assert "- On 6 March, 187 people died." in sents
    assert "Aftermath" in sents
    assert "The next day forces in\nKafr Nabl were shelled." in sents
    assert not any("killed." in s and "187" in s for s in sents)


def test_citation_marks_split_off_the_name_before_them(nlp):
    doc = nlp("He travelled to Iraq.[3] Fighters left Raqqa[4] for Mayadin.")
    words = [t.text for t in doc]
    assert "Iraq" in words and "Raqqa" in words and "[3]" in words and "[4]" in words
    assert nlp.nlp.tokenizer.to_bytes()  # the tokenizer still serializes


def test_components_the_model_ships_disabled_are_not_loaded(nlp):
    """A component the model ships disabled (``senter``) never runs here: it is not loaded
    either, and the components that run are the model's own enabled ones."""
    import spacy.util

    from fftrack.nlp.pipeline import LINE_BREAKS, _shipped_disabled

    meta = spacy.util.get_model_meta(spacy.util.get_package_path(nlp.model))
    shipped = list(meta.get("disabled") or ())
    assert _shipped_disabled(nlp.model) == shipped
    assert not set(shipped) & set(nlp.nlp.component_names)
    enabled = [c for c in meta["pipeline"] if c not in shipped]
    assert [c for c in nlp.nlp.pipe_names if c != LINE_BREAKS] == enabled
    assert _shipped_disabled("no_such_model_installed") == []
