"""Whatever text arrives, cleaning returns articles or one error, quickly, in the promised shape."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.ingest import language, prepare
from parallax.ingest.clean import is_boilerplate, normalise
from parallax.model import Document, ItemError

LINES = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "Advertisement", "Read also| Korvany shells town", "Related articles:", "(Source: Velgrad Herald)",
        "Velgrad Herald/Korvany Today", "VALDORIAN PERSPECTIVE", "- Korvany open to talks", "Published: 2026-03-04",
        "“We are ready,” Brisk said on Thursday in Velgrad.", "VELGRAD, March 4 (Wire) - Talks resumed today.",
        "", "   ", "\u00a0\u200b", "Talks are the only way, says Brisk",
    ]),
)


# The language detector loads its models on first use (seconds on a busy machine): once per process, not per item.
language.detect("The detector is loaded before any item is timed, once for the whole module.")


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=30), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_prepare_never_raises_and_output_is_clean(lines, newline):
    text = newline.join(lines)
    started = time.monotonic()
    result = prepare(Document(source="x.txt", text=text))
    assert time.monotonic() - started < 2
    if isinstance(result, ItemError):
        assert result.item == "x.txt" and result.reason
        return
    source = normalise(text)
    for article in result:
        assert article.title and article.language
        assert article.text == article.text.strip() and "\n\n" not in article.text
        if not article.text:  # a headline alone: the whole headline, as written
            assert article.title in source and not is_boilerplate(article.title)
        for paragraph in article.text.split("\n") if article.text else []:
            assert paragraph == paragraph.strip() and not is_boilerplate(paragraph)
            assert paragraph in source  # cleaning removes and trims, it never invents text
    assert len({a.part for a in result}) == len(result)
