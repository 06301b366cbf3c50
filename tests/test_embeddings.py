"""The sentence embedder that ships with Parallax: it must tell a restatement from an unrelated report."""

import numpy as np
import pytest

from parallax.nlp.embeddings import DIMENSIONS, embedder, from_bytes, to_bytes


@pytest.fixture(scope="module")
def embed():
    return embedder().embed


def test_a_restatement_is_nearer_than_another_event(embed):
    vectors = embed([
        "The foreign minister told a press conference in Valdrin that the ceasefire would hold for 30 days.",
        "Speaking to reporters in Valdrin, the foreign minister said the 30-day truce would be respected.",
        "Floods closed the mountain pass after three days of heavy rain.",
    ])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    same, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > 0.7 and other < 0.3


def test_empty_texts_give_zero_vectors_and_keep_their_rows(embed):
    vectors = embed(["", "   ", "Talks resumed on Monday."])
    assert not vectors[0].any() and not vectors[1].any()
    assert abs(np.linalg.norm(vectors[2]) - 1.0) < 1e-3


def test_a_long_text_is_truncated_not_refused(embed):
    vectors = embed(["word " * 5000])
    assert vectors.shape == (1, DIMENSIONS)


def test_stored_vectors_keep_their_cosines(embed):
    a, b = embed(["The army withdrew from the town.", "Troops pulled out of the town."])
    assert abs(float(from_bytes(to_bytes(a)) @ from_bytes(to_bytes(b))) - float(a @ b)) < 2e-3


def test_two_threads_give_every_text_its_own_vector(embed):
    # batches computed side by side come back to the rows they were taken from: a statement's match must not
    # depend on how many cores the analysis had
    texts = [f"Delegation {k} arrived in Valdrin on day {k} of the talks." + " Then more." * (k % 7) for k in range(40)]
    texts[5] = ""
    assert np.array_equal(embedder(2).embed(texts), embed(texts))
