"""Turn the text of a copied web page into article paragraphs: one paragraph per line, nothing else.

Every rule here works on whole lines, because that is how the mess arrives: a page pasted into a
text file keeps the page furniture ("Advertisement", "Read also| ...", share buttons, cookie
notices, photo captions) as lines of their own between the paragraphs. A rule that looked inside
paragraphs would sooner or later cut a sentence someone said.

Credit lines are not thrown away: they say who wrote the article. A trailing "(Source: Outlet)"
names the outlet of the article it ends; a trailing "OutletA/OutletB" says the file holds one
article from each, in that order (see ``split``).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                  "\u2009\u200a\u202f\u205f\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_BREAKS = dict.fromkeys(map(ord, "\u2028\u2029\x0b\x0c\x85"), "\n")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_RUNS_OF_SPACE = re.compile(r" {2,}")


def normalise(text: str) -> str:
    """NFC, plain spaces, no invisible characters, "\\n" line ends. Quote marks are left alone:
    curly and straight quotes mean different things to the quote finder."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_BREAKS).translate(_SPACES).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    return "\n".join(_RUNS_OF_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of normalised ``text``: blank lines between paragraphs carry no meaning."""
    return [line for line in normalise(text).split("\n") if line]


def _line(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


# Page furniture that is never article text, whatever its length.
_FURNITURE = _line(
    r"(?:advert(?:isement|ising)?(?: feature)?s?|ad)(?:\s+advert(?:isement)?s?)*\s*[:.]?",
    r"(?:advert(?:isement)?\s+)?(?:(?:story|article|text) continu(?:es|ed) (?:below|after)(?: (?:this|the))?"
    r"(?: (?:advertisement|advert|ad))?|continue reading(?: below| the (?:main |full )?(?:story|article))?)\s*[.:]?",
    r"sponsored(?: content| post)?|promoted(?: content)?|paid (?:content|post)",
    r"(?:read|see) (?:also|more)\s*[|:›>»\-–—]\s*\S.*|also read\s*[|:\-–—]\s*\S.*",
    r"share(?: this)?(?: article| story| post| page)?(?: (?:on|via) [\w ]{1,20})?\s*[:.!]?",
    r"share|tweet|e-?mail|print|copy link|link copied|facebook|twitter|whatsapp|telegram|linkedin|reddit|vk",
    r"listen to (?:this|the) (?:article|story)(?: \d+ min(?:ute)?s?)?|\d+ min(?:ute)?s? (?:read|listen)",
    r"reading time\s*:?.{0,20}",
    r"(?:leave a |add a |view |show )?comments?(?: \(\d+\))?|\d+ comments?",
    r"loading\s*\.*|skip to (?:main )?content|back to top|(?:main )?menu|home|close|x",
    r"(?:tags?|topics?|keywords?|filed under)\s*:.{0,200}",
    # A picture's or a player's line: its credit and caption describe the picture, and a caption's words would
    # be taken for the article's ("Media caption Dairy wars: Why is Trump threatening Canada?", quoted as Trump).
    r"media playback is (?:unsupported|not supported) on your device\b.*",
    r"(?:image|media|video|photo) (?:copyright|caption|source)\b.*|enlarge this image\b.*|(?:toggle|hide) caption\b.*",
    r"(?:prev(?:ious)?|next)?\s*(?:image|photo|slide) \d+ of \d+|slideshow\s*\(\d+ (?:images?|photos?)\)",
    r"photos?|images?|videos?|audio|graphics?|gallery|slideshow|youtube",
    r"\(\s*(?:photos?|images?|pictures?|videos?)\s*[:/].*\)|\(\s*also on [^():]{1,40}:[^()]*\)",
    r"\(\s*(?:watch|read|see|listen|related)\s*:[^()]*\)",  # a link to another story, in brackets
    r"photos?\s*:.*\bphotos?\s*:.*",  # a gallery's title, then its captions, each after "Photos:"
    r"read or share this story\s*:.*",
    r"\d{1,3} (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago",
    r"\[/?[a-z_]{2,20}\]",  # a publishing system's shortcode left in the text ("[pullquote]")
    r"(?:news )?(?:analysis|opinion|commentary|editorial)(?:\s*/\s*(?:analysis|opinion|commentary))?\s*:?",
)
# Furniture that starts like a real sentence could; only removed when short.
_SHORT_FURNITURE = _line(
    r"subscribe\b.*",
    r"sign[- ]?up\b.*",
    r"(?:get|receive|join)\b.*\bnewsletters?\b.*|.*\bnewsletters?\b.*\b(?:inbox|sign[- ]?up|subscribe)\b.*",
    r"follow (?:us|[\w ]{1,60}) on (?:twitter|x|facebook|telegram|instagram|tiktok|youtube|linkedin|"
    r"threads|bluesky|whatsapp|vk|google news|social media)\b.*|follow @\w+.*|join us on\b.*",
    r"(?:download|get) (?:our|the) app\b.*",
    r"click (?:here|to|for)\b.*|tap here\b.*",
    r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).*|.*\ball rights reserved\.?",
    r"(?:watch|listen|video|audio|gallery|in pictures)\s*:.*",
    r"(?:photo|image|picture|photograph|illustration|file photo|caption|pictured|credit)s?"
    r"(?: credit)?\s*[:|©/].*",
    r"(?:this )?(?:article|text|story|content|page) (?:was|has been|is) (?:automatically |machine[- ])?"
    r"translated\b.*",
    r"more on this\b.*",
    r"this (?:story|article|post|report) has been updated\b.*",
    # who else reported: a credit, whose names are reporters, not people in the story
    r".{0,100}\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?|contributing\s*:.*",
    r"(?:material|information) from .{2,60} (?:was|were) used in this (?:report|story|article)\.?",
    r"this (?:story|article|report) (?:is|was) based(?: in part)? on wire[- ]service reports\.?",
    r"scroll down for (?:the )?videos?\b.*|like what you(?:'|’)re reading\?.*",
    r"special (?:coverage|report|section)\s*:.*",
    r".*\b(?:email|e-mail|contact|write to|send (?:letters|tips))\b.*\b[\w.+-]+@[\w-]+\.[\w.]+\b.*",
)
# A newsletter's or a membership's pitch, a disclaimer or a syndication notice: a line with one of these is the
# outlet talking to its reader, however long (a sign-up box runs to sixty words). Reported paragraphs seldom use
# these phrases, and a long one that does is kept.
_PITCH = re.compile("|".join([
    r"\bby signing up\b", r"\bthank you for signing up\b", r"\bsign[- ]?up (?:here|today|now)\b",
    r"\bsign[- ]?up\b.*\b(?:newsletter|in your inbox)\b", r"\bsubscribe here\b",
    r"\bdelivered (?:\w+ ){0,3}to your inbox\b", r"\b(?:straight|right) to your inbox\b",
    r"\byou can unsubscribe\b", r"\bprotected by recaptcha\b", r"\byou(?:'|’)re not a robot\b",
    r"\bsupport (?:our|\w+(?:'|’)s) (?:\w+ )?journalism\b", r"\bchip in \$",
    r"\bmake a (?:one-time )?(?:gift|donation)\b",
    r"\b(?:opinions|views) expressed (?:by|in)\b.*\b(?:are (?:solely )?(?:their|his|her|the \w+(?:'|’)s) own|do not "
    r"(?:necessarily )?(?:reflect|represent))\b",
    r"\bis available without charge to\b", r"\bthis is a rush transcript\b", r"\btranscripts are created on a rush\b",
]), re.I)
PITCH_WORDS = 90
_COOKIES = re.compile(r"\bcookies?\b", re.I)
_CONSENT = re.compile(r"\b(?:we use|uses|accept|consent|privacy|policy|settings|agree|continu)", re.I)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def is_boilerplate(line: str) -> bool:
    """A line that is page furniture, not part of the article."""
    if not _LETTER_OR_DIGIT.search(line):
        return True  # rules, bullets, "* * *", "---", "___"
    words = len(line.split())
    if _FURNITURE.fullmatch(line):
        return True
    if words <= 20 and len(line) <= 300 and _SHORT_FURNITURE.fullmatch(line):
        return True
    if words <= PITCH_WORDS and _PITCH.search(line):
        return True
    return words <= 60 and bool(_COOKIES.search(line) and _CONSENT.search(line))


# A line after which nothing belongs to the article any more (lists of other headlines).
_TAIL = _line(
    r"related(?: articles?| stories| story| news| coverage| content| reading| links| topics)?\s*:?",
    r"(?:more|read more) (?:on|about) (?:this|the) (?:story|topic|subject|issue)\s*:?",
    r"(?:read|see) (?:also|more)\s*:?|more (?:news|stories)(?: from [\w ]{1,30})?\s*:?",
    r"you (?:may|might) also (?:like|be interested in|want to read)\s*:?",
    r"recommended(?: for you| stories| articles)?\s*:?|most (?:read|popular|viewed|shared)\s*:?",
    r"(?:latest|top) (?:news|stories|headlines)\s*:?",
)


def is_tail_marker(line: str) -> bool:
    return bool(_TAIL.fullmatch(line))


def cut_tail(lines: list[str]) -> list[str]:
    """Drop a trailing "Related articles:" block: the marker and everything after it."""
    for i, line in enumerate(lines):
        if i > 0 and _TAIL.fullmatch(line):
            return lines[:i]
    return lines


_NAME_PART = re.compile(r"[A-Z0-9\u0400-\u04ff][^\s,;:!?\"“”()/]*(?:\s+[^\s,;:!?\"“”()/]+){0,4}")
_SOURCE_LINE = re.compile(
    r"\(?\s*(?:sources?|via|credit|courtesy(?: of)?|originally published (?:by|in|on|at)|"
    r"(?:this (?:article|story) )?(?:was )?(?:originally|first) (?:published|appeared) (?:by|in|on|at))"
    r"\s*[:\-–—]?\s*(?P<name>[^()]{2,80}?)\s*\)?\s*\.?",
    re.I,
)
_TRAILING_SOURCE = re.compile(r"^(?P<body>.*[.!?\"”’])\s*\(\s*source\s*:\s*(?P<name>[^()]{2,80}?)\s*\)$", re.I)


def _outlet_name(text: str) -> str | None:
    text = text.strip().rstrip(".").strip()
    if text and _NAME_PART.fullmatch(text) and "http" not in text.lower():
        return text
    return None


_DATELINE_CREDIT = re.compile(
    r"^[A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ .'’-]{1,40}(?:,[^()]{1,60}?)?\s*\((?P<name>[^()]{2,40})\)\s*(?:-|–|—|--)\s"
)


def dateline_credit(paragraph: str) -> str | None:
    """The agency a wire dateline credits: "STOLGRAD, March 18 (Brevnia Today) - ..." -> "Brevnia Today"."""
    m = _DATELINE_CREDIT.match(paragraph)
    return _outlet_name(m.group("name")) if m else None


def source_credit(line: str) -> str | None:
    """The outlet named by a credit line ("(Source: Velgrad Herald)", "Source - Northern Wire")."""
    m = _SOURCE_LINE.fullmatch(line)
    return _outlet_name(m.group("name")) if m else None


def take_source_credit(lines: list[str]) -> tuple[str | None, list[str]]:
    """Remove a credit at the end of ``lines``: a line of its own, or "(Source: X)" closing the
    last paragraph (pasted without its line break)."""
    if not lines:
        return None, lines
    last = lines[-1]
    outlet = source_credit(last)
    if outlet:
        return outlet, lines[:-1]
    m = _TRAILING_SOURCE.match(last)
    if m and (outlet := _outlet_name(m.group("name"))):
        return outlet, [*lines[:-1], m.group("body").rstrip()]
    return None, lines


def multi_credit(line: str) -> list[str] | None:
    """"Velgrad Herald/Northern Wire" -> the outlets, in order; None if the line is anything else.

    Each part must read as a name: short, capitalised, no sentence punctuation. A URL, a date or
    "either/or" in prose does not pass.
    """
    if "/" not in line or "://" in line or len(line) > 120 or line.endswith((".", "!", "?")):
        return None
    parts = [part.strip() for part in line.split("/")]
    if len(parts) < 2 or any(not part for part in parts):
        return None
    names = [_outlet_name(part) for part in parts]
    if any(name is None or not any(c.isalpha() for c in name) for name in names):
        return None
    return [name for name in names if name]


def _in_tail_block(lines: list[str], i: int) -> bool:
    """Whether line ``i`` sits in a "Related articles:" list (only short lines since the marker)."""
    for j in range(i - 1, 0, -1):
        if _TAIL.fullmatch(lines[j]):
            return True
        if words(lines[j]) > 20:
            return False
    return False


def take_multi_credit(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove a trailing "OutletA/OutletB" line: (the outlets, the remaining lines). Under a
    "Related articles:" marker the same shape is another story's headline ("Brevnia/Dravenia
    talks"), not a credit."""
    if len(lines) >= 2 and (outlets := multi_credit(lines[-1])) and not _in_tail_block(lines, len(lines) - 1):
        return outlets, lines[:-1]
    return [], lines


def drop_repeats(lines: list[str]) -> list[str]:
    """Keep each paragraph once. Pages print a pull-quote or a lead twice; a repeated short line
    ("No.") far from its twin may be a real answer, so only adjacent short repeats go."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = line.casefold()
        short = len(line.split()) < 3
        if (key in seen and not short) or (kept and kept[-1].casefold() == key):
            continue
        seen.add(key)
        kept.append(line)
    return kept


_BULLET = re.compile(r"^(?:[-–—•*·▪►‣◦]|\d{1,2}[.)])\s+(?=\S)")


def strip_bullet(line: str) -> str:
    """"- X open to talks with Y" -> "X open to talks with Y": the subheading is text, the dash is not."""
    return _BULLET.sub("", line, count=1)


_TOKEN = re.compile(r"\w+")


def words(line: str) -> int:
    """Tokens with at least one letter: "2026" and "12:30" are not words."""
    return sum(1 for token in _TOKEN.findall(line) if not token.isdigit() and any(c.isalpha() for c in token))


def has_sentence(lines: list[str]) -> bool:
    """Enough text to be an article: some paragraph of at least four words."""
    return any(words(line) >= 4 for line in lines)
