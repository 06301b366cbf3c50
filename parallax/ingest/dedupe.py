"""Recognise the same article arriving twice: exactly (a fingerprint) or nearly (MinHash).

Aggregators republish wire copy with a changed first line or a credit appended; the store keeps
each article's signature and asks ``bands`` for the buckets to look in, so a new article is only
compared with the few stored ones that share a band (locality-sensitive hashing).

Everything here must give the same answer in every process and on every machine, because
signatures are stored: no use of Python's salted ``hash()``.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata

import numpy as np

PERMUTATIONS = 64
SHINGLE = 5  # words per shingle
BANDS = 16
ROWS = PERMUTATIONS // BANDS
_MAX = (1 << 32) - 1

_WORD = re.compile(r"\w+")


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    # Fixed seeds, derived once from a constant: the permutations are part of the stored format.
    multipliers, offsets = [], []
    for i in range(PERMUTATIONS):
        digest = hashlib.blake2b(f"parallax-minhash-{i}".encode(), digest_size=16).digest()
        a, b = struct.unpack("<QQ", digest)
        multipliers.append(a | 1)  # multiply-shift hashing needs odd multipliers
        offsets.append(b)
    return np.array(multipliers, dtype=np.uint64), np.array(offsets, dtype=np.uint64)


# Multiply-shift hashing, h(x) = ((a*x + b) mod 2**64) >> 32: a universal family that numpy computes
# for all permutations and shingles at once (uint64 arithmetic wraps modulo 2**64 by definition).
_MULTIPLIERS, _OFFSETS = _coefficients()
_SHIFT = np.uint64(32)


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(text)


def fingerprint(text: str) -> str:
    """Equal for texts that differ only in case, spacing, punctuation or quote style."""
    return hashlib.sha1(" ".join(_tokens(text)).encode("utf-8")).hexdigest()


def _shingles(text: str) -> set[int]:
    tokens = _tokens(text)
    if len(tokens) < SHINGLE:
        grams = [" ".join(tokens)] if tokens else []
    else:
        grams = [" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]
    return {
        int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest(), "little")
        for gram in grams
    }


def signature(text: str) -> tuple[int, ...]:
    """MinHash of the text's word 5-shingles: 64 ints. An empty text gets all-max values."""
    shingles = _shingles(text)
    if not shingles:
        return (_MAX,) * PERMUTATIONS
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        hashed = (np.outer(_MULTIPLIERS, values) + _OFFSETS[:, None]) >> _SHIFT
    return tuple(int(v) for v in hashed.min(axis=1))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if len(a) != len(b) or not a:
        raise ValueError("signatures of different lengths")
    if a == (_MAX,) * len(a) or b == (_MAX,) * len(b):
        return 0.0  # nothing to compare: two empty texts are not duplicates of each other
    return sum(x == y for x, y in zip(a, b)) / len(a)


def is_near_duplicate(a: str | tuple[int, ...], b: str | tuple[int, ...], threshold: float = 0.8) -> bool:
    """Whether two texts (or their signatures) share at least ``threshold`` of their shingles."""
    sig_a = signature(a) if isinstance(a, str) else a
    sig_b = signature(b) if isinstance(b, str) else b
    return similarity(sig_a, sig_b) >= threshold


def bands(sig: tuple[int, ...]) -> list[str]:
    """LSH bucket keys, one per band of ``ROWS`` values: "band:hash". Two articles with Jaccard
    0.8 share at least one band with probability above 0.99; at 0.3, about 0.12."""
    keys = []
    for band in range(len(sig) // ROWS):
        rows = sig[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{len(rows)}Q", *rows), digest_size=8).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys
