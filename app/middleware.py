"""ASGI middleware around every request: security headers (errors included), request body
limits, and CSRF protection of cookie-authenticated writes.

The app factory stacks them; `App.build_middleware_stack` puts `SecurityHeaders` outside
Starlette's own error middleware, so a 500 carries the same headers as any other response.
"""

import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from asgi_csrf import asgi_csrf, cookies_from_scope
from itsdangerous import BadSignature
from itsdangerous.url_safe import URLSafeSerializer
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import gettext, normalize_locale

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
NO_STORE = (b"cache-control", b"no-store")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def header(scope: Scope, name: bytes) -> bytes | None:
    found = [v for k, v in scope["headers"] if k == name]
    return found[0] if len(found) == 1 else None


def locale_of(scope: Scope) -> str:
    cookie = (header(scope, b"cookie") or b"").decode("latin-1")
    found = re.search(r"(?:^|;\s*)lang=([a-z]{2})", cookie)
    return normalize_locale(found.group(1) if found else None)


async def refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    """A small error response sent before the app has seen the request (JSON under /api)."""
    text = gettext(locale_of(scope), message)
    if scope["path"].startswith("/api"):
        body, kind = json.dumps({"error": code, "message": text}).encode(), b"application/json"
    else:
        body, kind = text.encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Every response gets the security headers; everything but static files also gets
    `Cache-Control: no-store` (pages show confidential data to signed-in users and carry
    one-time links), unless the handler chose its own caching."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-powered-by"]
                headers += SECURITY_HEADERS
                if not cacheable and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body passes its limit; FastAPI's body parsing lets an
    HTTPException through, so the client gets 413 however far the app had read."""

    def __init__(self) -> None:
        super().__init__(413, "The request body is too large.")


class BodyLimit:
    """413 for a body over its route's limit: at once by Content-Length, else as soon as the
    streamed body passes it, so no more than the limit is ever held. `limit_for(scope)` says
    the limit of each request (uploads may be allowed more than forms and JSON)."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await refuse(scope, send, 413, "too_large", "The request body is too large.")
            return
        started, received = False, 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await refuse(scope, send, 413, "too_large", "The request body is too large.")


class CsrfUnlessBearer:
    """asgi-csrf, except for API requests that carry one bearer token: asgi-csrf lets those
    through unchecked anyway (a page on another site cannot send that header), and API routes
    never read the token, so signing a fresh one for each such request is wasted work.

    Multipart writes (file uploads) are checked here, not by asgi-csrf, whose multipart reader
    fails on the current python-multipart: the token comes from the x-csrftoken header or the
    form's first field (`csrftoken`, placed before the file), must equal the signed csrftoken
    cookie, and the body is replayed to the app untouched."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app, self.signer = app, URLSafeSerializer(options["signing_secret"])
        self.protected = asgi_csrf(app, skip_if_scope=_checked, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        auth = header(scope, b"authorization")
        if scope["path"].startswith("/api/") and auth is not None and auth.startswith(b"Bearer "):
            await self.app(scope, receive, send)
            return
        if _multipart_write(scope) and header(scope, b"cookie") is not None:
            token, receive = await multipart_token(scope, receive)
            if not self._matches(scope, token):
                await refuse(scope, send, 403, "csrf", CSRF_FAILED)
                return
            scope = {**scope, CSRF_CHECKED: True}
        await self.protected(scope, receive, send)

    def _matches(self, scope: Scope, token: str | None) -> bool:
        cookie = cookies_from_scope(scope).get("csrftoken", "")
        try:
            self.signer.loads(cookie, "csrftoken")
        except BadSignature:
            return False
        return token is not None and secrets.compare_digest(token, cookie)


CSRF_CHECKED = "axmatch.csrf_checked"
CSRF_FAILED = "The form has expired. Reload the page and try again."
TOKEN_SCAN_BYTES = 16_384  # the first part (the token) must arrive within this much


def _checked(scope: Scope) -> bool:
    return bool(scope.get(CSRF_CHECKED))


def _multipart_write(scope: Scope) -> bool:
    if scope["method"] not in UNSAFE:
        return False
    kind = (header(scope, b"content-type") or b"").split(b";", 1)[0].strip().lower()
    return kind == b"multipart/form-data"


def _boundary(scope: Scope) -> bytes | None:
    found = re.search(rb'boundary="?([^";]{1,200})"?', header(scope, b"content-type") or b"")
    return found.group(1) if found else None


async def multipart_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The CSRF token of a multipart request (header, else first form field), and a receive
    that replays what was read to find it."""
    sent = header(scope, b"x-csrftoken")
    if sent is not None:
        return sent.decode("latin-1"), receive
    boundary, buffer, messages = _boundary(scope), b"", []
    first = re.compile(
        rb"--" + re.escape(boundary or b"-") + rb"\r\n(?:[^\r\n]+\r\n)*?"
        rb'content-disposition: *form-data; *name="csrftoken"\r\n(?:[^\r\n]+\r\n)*'
        rb"\r\n([A-Za-z0-9._\-]{1,200})\r\n",
        re.IGNORECASE,
    )
    more = True
    while boundary and more and len(buffer) < TOKEN_SCAN_BYTES:
        message = await receive()
        messages.append(message)
        buffer += message.get("body", b"")
        more = message.get("more_body", False)
        if (found := first.match(buffer)) is not None:
            return found.group(1).decode(), _replay(messages, receive)
    return None, _replay(messages, receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return replayed
