"""Fetch one URL with hard limits: time, redirects, size, and where it may point.

A news URL handed to a self-hosted engine is untrusted input: it may point at the machine's own
services (``http://127.0.0.1:8080/admin``), at a cloud metadata endpoint (169.254.169.254), or
redirect there after the first hop. So every hop is resolved and refused if any address it
resolves to is not a public one, unless the caller explicitly allows private addresses (tests,
intranet deployments).

Known gap: the address is checked, then httpx resolves the name again to connect, so a DNS
server that answers differently the second time (DNS rebinding) is not stopped here.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "Parallax/0.1"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A URL that could not be fetched; the message is the human reason."""


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL, after redirects
    body: bytes
    content_type: str  # lower-cased media type without parameters, "" if absent
    charset: str | None


def human_size(n: int) -> str:
    """Sizes as a user reads them in an error line: "50 MB", "1.5 MB", "800 KB", "12 bytes"."""
    mb = 1024 * 1024
    if n >= 10 * mb:
        return f"{n // mb} MB"
    if n >= mb:
        return f"{n / mb:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


def check_host(url: str) -> None:
    """Refuse a URL whose host resolves to any non-public address."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r}") from exc
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            raise FetchError(
                f"refused: {host} resolves to a private or local address ({address}); "
                "give --allow-private (allow_private=True in Python) to fetch it"
            )


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {scheme!r} (only http and https)")


def fetch(url: str, *, allow_private: bool, max_bytes: int, timeout: float, max_redirects: int) -> Fetched:
    """GET ``url`` following at most ``max_redirects`` redirects; raise FetchError with a reason.

    ``timeout`` bounds the whole exchange, not each socket read: a server that trickles one byte
    a second would otherwise hold the run for ever.
    """
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
               "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"}
    try:
        with httpx.Client(headers=headers, follow_redirects=False, timeout=httpx.Timeout(timeout),
                          trust_env=False) as client:
            for _hop in range(max_redirects + 1):
                _check_scheme(url)
                if not allow_private:
                    check_host(url)
                with client.stream("GET", url) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
                    return _read_body(url, response, max_bytes, deadline, timeout)
            raise FetchError(f"too many redirects (more than {max_redirects})")
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch: {exc.__class__.__name__}: {exc}".rstrip(": ")) from exc


def _read_body(url: str, response: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> Fetched:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large ({human_size(int(declared))} > {human_size(max_bytes)})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large (more than {human_size(max_bytes)})")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s")
        chunks.append(chunk)
    media = response.headers.get("content-type", "")
    content_type, _, params = media.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"\' ').lower()
    return Fetched(url=str(response.url), body=b"".join(chunks),
                   content_type=content_type.strip().lower(), charset=charset)
