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
