"""Which language an article is written in, as an ISO 639-1 code ("en", "ru", "uk", ...).

The detector knows only the languages the reference stories arrive in. Fewer candidates make it
both faster and more accurate: Ukrainian and Russian are told apart far more reliably when
Bulgarian and Belarusian are not in the running. Building it is instant; each language model
loads on first use (about a second in all), so the detector is built once per process, lazily.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNKNOWN = "und"
MIN_CHARS = 20  # below this the statistics say nothing; "Hi" is not English
SAMPLE_CHARS = 4000  # the opening of an article decides its language; the rest only costs time

# The detector reads letters only; some runs of punctuation ("[[[...](](](...", as in broken Markdown) cost it
# seconds per kilobyte, so it is given the words alone, one space apart.
_NOT_LETTERS = re.compile(r"[\W\d_]+")

_LANGUAGES = ("ENGLISH", "RUSSIAN", "UKRAINIAN", "GERMAN", "FRENCH", "SPANISH")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _LANGUAGES)).build()


def unload() -> None:
    """Let go of the language models (about 130 MB once loaded): an ingest has read everything when it starts
    its analysis, which has no use for them. The next detection loads them again."""
    if _detector.cache_info().currsize:
        _detector().unload_language_models()  # (held by the library for the process, not by the detector)
        _detector.cache_clear()


def _declared(code: str | None) -> str | None:
    """"en-GB" -> "en"; anything that is not a two-letter code -> None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def detect(text: str, declared: str | None = None) -> str:
    """The language of ``text``. The container's declaration (``<html lang>``, a feed's language)
    is only a fallback: pages declare "en" on translated copies often enough."""
    sample = _NOT_LETTERS.sub(" ", text[:SAMPLE_CHARS]).strip()
    if len(sample) >= MIN_CHARS:
        found = _detector().detect_language_of(sample)
        if found is not None:
            return found.iso_code_639_1.name.lower()
    return _declared(declared) or UNKNOWN
