"""Find the articles inside one text: compilation files hold several, one after another.

Two signals say a file holds more than one article:

* section headers: a short line in capitals ("VALDORIAN PERSPECTIVE", "SECOND ARTICLE") followed
  by a headline-like line. The file is cut at each header; the header itself is dropped and the
  line after it becomes that article's headline. A lone header at the very top is dropped too
  (a one-article file filed under a section name).
* a trailing credit naming N outlets ("OutletA/OutletB"), which ``clean.take_multi_credit`` has
  already removed. With headers present it only assigns outlets in order. Without headers the
  file is cut before a second headline only when exactly N-1 lines look like one (short, no
  closing full stop, after a finished paragraph and before a long one); otherwise the text is
  kept as ONE article credited to the first outlet, because a wrong cut would splice two
  outlets' words into each other's articles, which is worse than an unsplit file.

Lines reach this module before bullets are stripped, so a subheading "- X open to talks" is
never mistaken for a headline.
"""

from __future__ import annotations

import re

from parallax.ingest.clean import is_tail_marker, words

_SENTENCE_END = (".", "!", "?", "\"", "”", "’", "'", ")", "»")
_QUOTES_OR_BULLET = re.compile(r"^[\"“”‘’'«»\-–—•*·]")


def is_header(line: str) -> bool:
    """A section header: capitals only, a few words, not a sentence, not a place ("PARIS, FRANCE")
    and not a "READ MORE:" marker."""
    if "," in line or is_tail_marker(line):
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return False
    stripped = line.rstrip(":").strip()
    return len(stripped.split()) <= 5 and not stripped.endswith((".", "!", "?", ",", ";")) \
        and not _QUOTES_OR_BULLET.match(stripped)


def is_headline(line: str) -> bool:
    """A line that could be a headline: short, not all capitals, not a finished sentence."""
    n = words(line)
    return (1 <= n <= 25 and not is_header(line) and not line.endswith(".")
            and not _QUOTES_OR_BULLET.match(line))


def _header_positions(lines: list[str]) -> list[int]:
    return [
        i for i in range(len(lines) - 2)
        if is_header(lines[i]) and is_headline(lines[i + 1])
    ]


def _second_headlines(lines: list[str]) -> list[int]:
    """Lines that read as the headline of a following article in a file without headers."""
    found = []
    for i in range(2, len(lines) - 1):
        line = lines[i]
        if (3 <= words(line) <= 16 and line[:1].isupper() and not line.endswith((".", ":", ";", ","))
                and not _QUOTES_OR_BULLET.match(line) and not is_header(line)
                and lines[i - 1].endswith(_SENTENCE_END) and words(lines[i + 1]) >= 12):
            found.append(i)
    return found


def split_articles(lines: list[str], *, expected: int = 0) -> list[list[str]]:
    """Cut ``lines`` into articles, each starting with its headline.

    ``expected`` is the number of outlets a trailing credit named (0 when there was none).
    """
    headers = _header_positions(lines)
    if headers:
        pieces = []
        if headers[0] > 1:  # an article before the first header (a single line is a file title)
            pieces.append(lines[:headers[0]])
        bounds = [*headers, len(lines)]
        pieces += [lines[start + 1:end] for start, end in zip(bounds, bounds[1:])]
        return [piece for piece in pieces if piece]
    if expected >= 2:
        cuts = _second_headlines(lines)
        if len(cuts) == expected - 1:
            bounds = [0, *cuts, len(lines)]
            return [lines[start:end] for start, end in zip(bounds, bounds[1:])]
    return [lines] if lines else []
