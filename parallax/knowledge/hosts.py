"""Web hosts as outlet names: the host a URL points at, folded so that AMP, mobile and section hosts of one outlet
meet the domain its pack entry lists, and a country read from a national top-level domain.

    host_of("https://amp.theguardian.com/world/2026/mar/01/x")   -> "amp.theguardian.com"
    domain_candidates("politicalticker.blogs.cnn.com")          -> ("politicalticker.blogs.cnn.com",
                                                                    "blogs.cnn.com", "cnn.com")
    site_name("m.example.co.uk")                                 -> "example.co.uk"
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Second-level labels under a national domain that are registries, not sites: "bbc.co.uk", "aa.com.tr".
_REGISTRY_LABELS = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "mil", "nic", "gen", "info",
                    "news", "in", "ltd", "plc", "me"}
# Hosts where each subdomain is somebody's own publication, so the subdomain is the name.
_SHARED_HOSTS = {"substack.com", "blogspot.com", "wordpress.com", "medium.com", "tumblr.com", "github.io",
                 "livejournal.com", "typepad.com", "wixsite.com", "telegra.ph"}
# Prefixes that name a version of the same site rather than a section of it.
_VERSION_LABELS = {"www", "www1", "www2", "www3", "amp", "m", "mobile", "mob", "touch", "edition", "beta"}

# National domains used by news sites of that country. Domains sold mostly as generic names (.io, .tv, .co, .me,
# .fm, .ai, .ly, .md, ...) are left out: they say nothing about where an outlet is.
_COUNTRY_OF_TLD = {
    "ru": "Russia", "ua": "Ukraine", "by": "Belarus", "cn": "China", "ir": "Iran", "il": "Israel", "tr": "Turkey",
    "uk": "United Kingdom", "de": "Germany", "fr": "France", "it": "Italy", "es": "Spain", "pl": "Poland",
    "hu": "Hungary", "nl": "Netherlands", "be": "Belgium", "ch": "Switzerland", "at": "Austria", "se": "Sweden",
    "no": "Norway", "dk": "Denmark", "fi": "Finland", "ie": "Ireland", "pt": "Portugal", "gr": "Greece",
    "cz": "Czech Republic", "sk": "Slovakia", "ro": "Romania", "ge": "Georgia", "az": "Azerbaijan",
    "kz": "Kazakhstan", "uz": "Uzbekistan", "lv": "Latvia", "lt": "Lithuania", "ee": "Estonia", "rs": "Serbia",
    "in": "India", "pk": "Pakistan", "af": "Afghanistan", "jp": "Japan", "kr": "South Korea", "kp": "North Korea",
    "br": "Brazil", "ar": "Argentina", "mx": "Mexico", "ca": "Canada", "au": "Australia", "nz": "New Zealand",
    "za": "South Africa", "eg": "Egypt", "sa": "Saudi Arabia", "ae": "United Arab Emirates", "qa": "Qatar",
    "sy": "Syria", "lb": "Lebanon", "jo": "Jordan", "iq": "Iraq", "kw": "Kuwait", "ps": "Palestine",
    "ve": "Venezuela", "ph": "Philippines", "vn": "Vietnam", "id": "Indonesia", "sd": "Sudan", "et": "Ethiopia",
    "ye": "Yemen", "om": "Oman", "bh": "Bahrain", "hk": "Hong Kong", "tw": "Taiwan", "sg": "Singapore",
}

_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z]{2,63}$")
_AMP_CACHE = ".cdn.ampproject.org"


def host_of(url: str | None) -> str | None:
    """The host a URL points at, lower-cased and without port; the publisher's host for a page served from an AMP
    cache ("www-bbc-com.cdn.ampproject.org", "google.com/amp/s/www.bbc.com/..."). None when there is no host."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "//" not in url[:12]:
        url = "//" + url  # "www.rt.com/news/1" as typed into a spreadsheet
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if host.endswith(_AMP_CACHE):
        # The cache spells the publisher's host with "-" for "." and "--" for "-".
        label = host[: -len(_AMP_CACHE)]
        host = label.replace("--", "\0").replace("-", ".").replace("\0", "-")
    elif _is_google(host) and parts.path.startswith("/amp/"):
        inner = unquote(parts.path[len("/amp/"):])
        inner = inner[2:] if inner.startswith("s/") else inner
        return host_of(inner)
    return host if _HOST.match(host) else None


def _is_google(host: str) -> bool:
    labels = host.split(".")
    return "google" in labels[:-1] and labels[0] in {"www", "google"}


def registrable(host: str) -> str:
    """The part of a host a publisher registers: "news.bbc.co.uk" -> "bbc.co.uk"; on shared hosting the
    publication's own subdomain stays ("anna.substack.com")."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _REGISTRY_LABELS else 2
    base = ".".join(labels[-keep:])
    if base in _SHARED_HOSTS and len(labels) > keep:
        return ".".join(labels[-keep - 1:])
    return base


def domain_candidates(host: str) -> tuple[str, ...]:
    """The host and each parent domain down to the registrable one, most specific first, so that a section host
    ("politicalticker.blogs.cnn.com") finds the outlet listed under its parent ("cnn.com")."""
    base = registrable(host)
    labels = host.split(".")
    found = [".".join(labels[i:]) for i in range(len(labels)) if len(".".join(labels[i:])) >= len(base)]
    return tuple(found)


def site_name(host: str) -> str:
    """How an outlet no pack knows is named: its host without the version prefixes that only say how the page was
    served ("www.", "amp.", "m."), and without section subdomains."""
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in _VERSION_LABELS:
        labels = labels[1:]
    return registrable(".".join(labels))


def country_of_host(host: str | None) -> str | None:
    """The country a national top-level domain names ("tass.ru": Russia); None for generic domains."""
    if not host:
        return None
    return _COUNTRY_OF_TLD.get(host.rsplit(".", 1)[-1])


def looks_like_host(name: str | None) -> bool:
    return bool(name) and bool(_HOST.match(name.strip().lower()))
