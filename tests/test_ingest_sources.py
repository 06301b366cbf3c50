"""Reading files, directories and stdin: every format, and one ItemError per bad item."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from parallax.ingest import Limits, Record, prepare, read_sources
from parallax.model import Article, ItemError

ARTICLE = (
    "Valdoria ready for talks\n"
    "Valdoria is ready to resume talks with Korvany, Foreign Minister Anton Brisk said on Thursday.\n"
    "“We are ready to discuss a ceasefire,” Brisk told reporters in Velgrad.\n"
)
GOOD = "Brisk said on Thursday that the talks in Ostmark would resume next week."

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Velgrad Herald</title><language>en</language>
<item><title>Talks resume in Ostmark</title><link>https://herald.example/1</link>
<pubDate>Wed, 04 Mar 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Negotiators from Valdoria and Korvany met in Ostmark on Wednesday.&lt;/p&gt;&lt;p&gt;“We are ready,” Brisk said.&lt;/p&gt;</description></item>
<item><title>Korvany rejects plan</title><link>https://herald.example/2</link>
<source url="https://korvany.example/rss">Korvany Today</source>
<description>Korvanian officials rejected the plan on Thursday, calling it a trap for the army.</description></item>
</channel></rss>
"""

HTML = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Talks resume in Velgrad | Velgrad Herald</title>
<meta property="og:site_name" content="Velgrad Herald">
<meta property="og:title" content="Talks resume in Velgrad">
<meta property="article:published_time" content="2026-03-04T10:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>Talks resume in Velgrad</h1>
<p>Negotiators from both sides met on Tuesday in the capital for a third round of talks about a ceasefire.</p>
<p>“We are ready to discuss a ceasefire,” said Foreign Minister Anton Brisk after the first session.</p>
<p>The talks are expected to continue on Thursday, officials said, amid heavy fighting in the east.</p>
</article><footer>Copyright 2026 Velgrad Herald</footer></body></html>"""


def read(*sources, **kwargs) -> list[Record | ItemError]:
    return list(read_sources([str(s) for s in sources], **kwargs))


def errors(items) -> list[ItemError]:
    """What the user is told about, from reading and from cleaning, in order."""
    found = []
    for item in items:
        result = item if isinstance(item, ItemError) else prepare(item)
        if isinstance(result, ItemError):
            found.append(result)
    return found


def records(items) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def prepared(items) -> list[Article]:
    out = []
    for record in records(items):
        result = prepare(record)
        assert isinstance(result, list), result
        out += result
    return out


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- good input -----------------------------------------------------------------------------

def test_text_file(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    [article] = prepared(read(path))
    assert (article.source, article.part, article.title) == (str(path), 0, "Valdoria ready for talks")


def test_markdown_file_loses_markup(tmp_path):
    path = write(tmp_path / "a.md", "# Valdoria ready for talks\n\n**Brisk** said on [Thursday](https://x.example) "
                                    "that the talks would resume.\n")
    [article] = prepared(read(path))
    assert article.title == "Valdoria ready for talks"
    assert article.text == "Brisk said on Thursday that the talks would resume."


def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a" / "z.txt", ARTICLE)
    write(tmp_path / ".hidden.txt", ARTICLE)
    write(tmp_path / ".git" / "x.txt", ARTICLE)
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    sources = [r.document.source for r in records(read(tmp_path))]
    assert sources == [str(tmp_path / "a" / "z.txt"), str(tmp_path / "b.txt")]


def test_html_file_metadata(tmp_path):
    path = write(tmp_path / "page.html", HTML)
    [article] = prepared(read(path))
    assert article.outlet == "Velgrad Herald"
    assert article.title == "Talks resume in Velgrad"
    assert article.published == date(2026, 3, 4)
    assert article.language == "en"
    assert article.text.startswith("Negotiators from both sides")
    assert "Home" not in article.text and "Copyright" not in article.text


def test_html_in_windows_1251_declared_by_meta(tmp_path):
    page = ("<html><head><meta charset=\"windows-1251\"><title>Переговоры</title></head><body><article>"
            "<p>Министр иностранных дел Антон Бриск заявил во вторник, что переговоры продолжатся в Остмарке.</p>"
            "<p>Переговоры возобновятся на следующей неделе, сообщили в министерстве.</p></article></body></html>")
    path = write(tmp_path / "ru.html", page.encode("cp1251"))
    [article] = prepared(read(path))
    assert article.language == "ru" and "Бриск" in article.text


def test_jsonl_records_give_parts_and_fields(tmp_path):
    lines = [
        {"title": "Talks resume", "text": GOOD, "outlet": "Velgrad Herald", "published": "2026-03-04",
         "url": "https://herald.example/1"},
        {"headline": "Korvany rejects plan", "body": "Korvanian officials rejected the plan on Thursday.",
         "source": {"id": "kt", "name": "Korvany Today"}, "date": "March 5, 2026"},
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    first, second = prepared(read(path))
    assert (first.part, first.outlet, first.published, first.url) == (
        0, "Velgrad Herald", date(2026, 3, 4), "https://herald.example/1")
    assert first.text == GOOD
    assert (second.part, second.title, second.outlet, second.published) == (
        1, "Korvany rejects plan", "Korvany Today", date(2026, 3, 5))


def test_json_object_and_list(tmp_path):
    one = write(tmp_path / "one.json", json.dumps({"title": "Talks resume", "content": GOOD}))
    many = write(tmp_path / "many.json", json.dumps({"articles": [{"title": "A", "text": GOOD}, {"title": "B", "text": GOOD}]}))
    assert [a.part for a in prepared(read(one))] == [0]
    assert [(a.title, a.part) for a in prepared(read(many))] == [("A", 0), ("B", 1)]


def test_csv_columns(tmp_path):
    path = write(tmp_path / "a.csv", 'Headline,Body,Site,Published\n"Talks resume","' + GOOD.replace('"', '""')
                 + ', he said.",Velgrad Herald,2026-03-04\nSecond,"Korvanian officials, in a statement, rejected it.",'
                 "Korvany Today,\n")
    first, second = prepared(read(path))
    assert (first.title, first.outlet, first.published, first.part) == ("Talks resume", "Velgrad Herald", date(2026, 3, 4), 0)
    assert (second.outlet, second.part, second.published) == ("Korvany Today", 1, None)
    assert second.text == "Korvanian officials, in a statement, rejected it."


def test_semicolon_csv(tmp_path):
    path = write(tmp_path / "a.csv", "title;text\nTalks;" + GOOD + "\n")
    [article] = prepared(read(path))
    assert article.text == GOOD


def test_feed_file(tmp_path):
    path = write(tmp_path / "herald.rss", FEED)
    first, second = prepared(read(path))
    assert (first.title, first.outlet, first.published, first.url, first.part) == (
        "Talks resume in Ostmark", "Velgrad Herald", date(2026, 3, 4), "https://herald.example/1", 0)
    assert first.text.split("\n") == ["Negotiators from Valdoria and Korvany met in Ostmark on Wednesday.",
                                      "“We are ready,” Brisk said."]
    assert second.outlet == "Korvany Today" and second.part == 1


def test_stdin(tmp_path):
    [article] = prepared(read("-", stdin=io.StringIO(ARTICLE)))
    assert article.source == "<stdin>" and article.title == "Valdoria ready for talks"


def test_stdin_bytes_buffer():
    stream = io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")), encoding="utf-8")
    [article] = prepared(read("-", stdin=stream))
    assert article.title == "Valdoria ready for talks"


def test_cp1252_text_is_accepted_quietly(tmp_path):
    path = write(tmp_path / "old.txt", ("Talks resume\n“We are ready,” Brisk said in Velgrad on Thursday.\n").encode("cp1252"))
    [article] = prepared(read(path))
    assert article.text == "“We are ready,” Brisk said in Velgrad on Thursday."


def test_utf8_bom_and_crlf(tmp_path):
    path = write(tmp_path / "win.txt", b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    [article] = prepared(read(path))
    assert article.title == "Valdoria ready for talks" and "\r" not in article.text


# --- bad input: exactly one ItemError naming the item, the rest still read ---------------------

def _one_error(items, item: str, *needles: str) -> ItemError:
    errs = errors(items)
    assert len(errs) == 1, errs
    assert errs[0].item == item
    for needle in needles:
        assert needle in errs[0].reason, errs[0].reason
    return errs[0]


def test_missing_path(tmp_path):
    good = write(tmp_path / "good.txt", ARTICLE)
    items = read(tmp_path / "missing.txt", good)
    _one_error(items, str(tmp_path / "missing.txt"), "no such file")
    assert len(records(items)) == 1


def test_directory_with_nothing_readable(tmp_path):
    empty = tmp_path / "empty"
    write(empty / "scan.pdf", b"%PDF")
    write(empty / ".DS_Store", b"x")
    _one_error(read(empty), str(empty), "no readable files")


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.txt", "")
    blank = write(tmp_path / "blank.txt", "  \n\n \n")
    items = read(path, blank, write(tmp_path / "good.txt", ARTICLE))
    assert [(e.item, e.reason) for e in errors(items)] == [(str(path), "empty file"), (str(blank), "empty file")]
    assert len(records(items)) == 1


def test_binary_file(tmp_path):
    path = write(tmp_path / "photo.txt", bytes(range(256)) * 10)
    _one_error(read(path), str(path), "binary")


def test_huge_file_rejected_by_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    items = read(path, write(tmp_path / "good.txt", ARTICLE))
    _one_error(items, str(path), "too large (50 MB > 20 MB)")
    assert path not in opened


def test_a_jsonl_dump_over_the_size_limit_is_read_line_by_line(tmp_path):
    """A back-fill of years of news comes as one large dump: the limit then holds per line (per article)."""
    lines = [json.dumps({"title": f"Talks, day {n}", "text": f"{GOOD} Round {n} of the talks ended."}) for n in range(40)]
    lines[7] = json.dumps({"title": "Too long", "text": "Brisk said so. " * 400})  # one article over the limit
    lines[12] = "{not json"
    path = write(tmp_path / "dump.jsonl", ("\n".join(lines) + "\n").encode() + b"\x00\x01binary\x00\n" + b"\n")
    limits = Limits(max_bytes=2048)
    assert path.stat().st_size > 4 * limits.max_bytes
    items = read(path, limits=limits)
    assert [e.reason for e in errors(items)] == ["line 8: too large (more than 2 KB)", "line 13: not valid JSON "
                                                 "(Expecting property name enclosed in double quotes)",
                                                 "line 41: binary file, not text"]
    good = records(items)
    assert [r.document.title for r in good] == [f"Talks, day {n}" for n in range(40) if n not in (7, 12)]
    # each article keeps its place in the dump, so a later run over a grown dump finds it again
    assert [r.index for r in good][:8] == [0, 1, 2, 3, 4, 5, 6, 8]


def test_a_large_file_of_another_format_is_still_refused_whole(tmp_path):
    path = write(tmp_path / "dump.json", json.dumps([{"title": "T", "text": GOOD}] * 200))
    _one_error(read(path, limits=Limits(max_bytes=2048)), str(path), "too large")


def test_invalid_utf8_that_is_not_cp1252_text(tmp_path):
    path = write(tmp_path / "bad.txt", b"Talks resume\nBrisk said \x81\x8d\x8f\x90 on Thursday.\n")
    _one_error(read(path), str(path), "not valid UTF-8 text")


def test_malformed_html(tmp_path):
    path = write(tmp_path / "bad.html", "<html><body><div><script>var x = 1;</script></div><nav>Home</nav></body></html>")
    items = read(path, write(tmp_path / "good.txt", ARTICLE))
    _one_error(items, str(path), "no article text")
    assert len(prepared(records(items)[-1:])) == 1


def test_malformed_json(tmp_path):
    path = write(tmp_path / "bad.json", '{"title": "Talks", "text": "unterminated')
    _one_error(read(path), str(path), "not valid JSON")


def test_jsonl_bad_line_named_and_good_lines_kept(tmp_path):
    good = json.dumps({"title": "Talks", "text": GOOD})
    path = write(tmp_path / "a.jsonl", f"{good}\n{{not json\n\n{good}\n")
    items = read(path)
    _one_error(items, str(path), "line 2", "not valid JSON")
    assert [r.index for r in records(items)] == [0, 2]


def test_jsonl_line_without_text_or_title(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"url": "https://x.example/1"}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    items = read(path)
    _one_error(items, str(path), "line 1", "no text field")
    assert len(records(items)) == 1


def test_headline_only_records_come_through_with_empty_text(tmp_path):
    """A title without a body is a headline-only article: the reader passes it on (cleaning decides)."""
    lines = tmp_path / "a.jsonl"
    write(lines, json.dumps({"title": "Brask: talks resume Monday"}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    table = write(tmp_path / "h.csv", "date,title\n2026-03-04,Brask: talks resume Monday\n")
    feed = write(tmp_path / "h.rss", "<?xml version='1.0'?><rss><channel><title>Wire</title>"
                 "<item><title>Brask: talks resume Monday</title></item></channel></rss>")
    for path in (lines, table, feed):
        items = read(path)
        assert not [i for i in items if isinstance(i, ItemError)], path
        first = records(items)[0].document
        assert (first.title, first.text) == ("Brask: talks resume Monday", ""), path


def test_malformed_csv(tmp_path):
    path = write(tmp_path / "bad.csv", 'title,text\nTalks,"' + GOOD + '\nSecond,unclosed quote runs to the end\n')
    _one_error(read(path), str(path), "malformed CSV")


def test_csv_without_text_column(tmp_path):
    path = write(tmp_path / "bad.csv", "date,url\n2026-03-04,https://x.example\n")
    _one_error(read(path), str(path), "no text column")


def test_malformed_feed(tmp_path):
    path = write(tmp_path / "bad.rss", "<?xml version='1.0'?><rss><channel><title>X</title><item><title>Broken")
    items = read(path, write(tmp_path / "good.txt", ARTICLE))
    _one_error(items, str(path), "feed")
    assert len(records(items)) == 1


def test_xml_that_is_not_a_feed(tmp_path):
    path = write(tmp_path / "data.xml", "<?xml version='1.0'?><catalog><book>Ostmark</book></catalog>")
    _one_error(read(path), str(path), "not an RSS or Atom feed")


def test_unsupported_scheme():
    _one_error(read("ftp://files.example/a.txt"), "ftp://files.example/a.txt", "unsupported URL scheme")


def test_bad_items_in_a_directory_do_not_stop_it(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", b"\x00\x01\x02binary")
    write(tmp_path / "c.txt", "")
    write(tmp_path / "d.txt", ARTICLE)
    items = read(tmp_path)
    assert [Path(e.item).name for e in errors(items)] == ["b.txt", "c.txt"]
    assert [Path(r.document.source).name for r in records(items)] == ["a.txt", "d.txt"]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b"{" * 100000, b"[" * 5000 + b"]" * 5000, b"<rss>" * 1000,
                                     b"title,text\n" + b'"' * 1000])
def test_junk_never_raises(tmp_path, content):
    for ext in (".txt", ".json", ".jsonl", ".csv", ".rss", ".html", ".bin"):
        path = write(tmp_path / f"junk{ext}", content)
        for item in read(path, limits=Limits(max_bytes=1024 * 1024)):
            if isinstance(item, Record):
                assert isinstance(prepare(item), (list, ItemError))


def test_windows_1251_text_file_is_read_as_cyrillic(tmp_path):
    text = "Переговоры возобновились\nМинистр иностранных дел Антон Бриск заявил во вторник, что переговоры продолжатся.\n"
    path = write(tmp_path / "ru.txt", text.encode("cp1251"))
    [article] = prepared(read(path))
    assert article.title == "Переговоры возобновились" and article.language == "ru"


def test_utf8_page_with_a_wrong_charset_declaration(tmp_path):
    page = HTML.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    [article] = prepared(read(write(tmp_path / "page.html", page)))
    assert "“We are ready to discuss a ceasefire,”" in article.text


def test_a_dateline_without_year_is_dated_from_when_the_file_was_saved(tmp_path):
    import os
    from datetime import datetime

    path = tmp_path / "wire.txt"
    path.write_text("Corridor to open\nSTOLGRAD, March 18 (Brevnia Today) - Brevnia will open a corridor, he said.\n")
    for saved, expected in ((datetime(2026, 5, 1), date(2026, 3, 18)), (datetime(2026, 2, 1), date(2025, 3, 18))):
        os.utime(path, (saved.timestamp(), saved.timestamp()))
        [record] = list(read_sources([str(path)]))
        [article] = prepare(record)
        assert article.published == expected
        assert article.text == "Brevnia will open a corridor, he said."


def test_a_jsonl_line_nested_too_deep_costs_only_that_line(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"text": GOOD}) + "\n" + "[" * 100_000 + "\n"
                 + json.dumps({"text": GOOD.replace("Talks", "Meetings")}) + "\n")
    items = read(path)
    _one_error(items, str(path), "line 2", "too deeply nested")
    assert [r.index for r in records(items)] == [0, 2]


def test_half_a_utf16_pair_from_a_json_escape_becomes_a_replacement_character(tmp_path):
    """json.loads turns "\\ud800" into a lone surrogate, which no database stores: the run used to crash."""
    path = write(tmp_path / "a.jsonl", '{"title": "Talks \\ud800 resume", "text": "' + GOOD + ' \\udfff"}\n')
    [record] = records(read(path))
    assert record.document.title == "Talks \ufffd resume"
    assert record.document.text.endswith("\ufffd")
    record.document.text.encode("utf-8")  # storable
