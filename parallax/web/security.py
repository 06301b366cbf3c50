"""Access token and security headers, as one pure ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware).

With a token set, every request must carry it: `Authorization: Bearer T`, or the cookie that `?token=T` sets
(the page is then reloaded without the token in its address, so it does not linger in history or logs).
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

COOKIE = "parallax_token"

# No inline script or style anywhere: every script and stylesheet is a file under /static.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token or None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if self.token is None:
            return await self.app(scope, receive, send_with_headers)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = dict(query).get("token")
        if given is not None:
            if not _same(given, self.token):
                return await _deny(send_with_headers)
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = _same_site(scope.get("root_path", "") + scope["path"]) + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            return await _respond(
                send_with_headers, 303, b"", [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode())]
            )
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is just no cookie
            cookie = SimpleCookie()
        from_cookie = cookie[COOKIE].value if COOKIE in cookie else None
        if _same(bearer, self.token) or _same(from_cookie, self.token):
            return await self.app(scope, receive, send_with_headers)
        return await _deny(send_with_headers)


# Characters a path may carry unencoded (RFC 3986 pchar and "/"); everything else is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;="


def _same_site(path: str) -> str:
    """The path as a redirect target on this server: browsers read a location starting with two slashes or a
    backslash ("//host", "/\\host", "///host") as another host, so leading ones collapse into one; the rest is
    percent-encoded, since a header carries ASCII only."""
    return quote("/" + path.lstrip("/\\"), safe=_PATH_SAFE)


async def _deny(send):
    body = b"401 Unauthorized: this Parallax server needs its access token (Authorization: Bearer T, or ?token=T)\n"
    await _respond(send, 401, body, [(b"www-authenticate", b"Bearer"), (b"content-type", b"text/plain; charset=utf-8")])


async def _respond(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]):
    headers = [*headers, (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
