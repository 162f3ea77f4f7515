"""What a request must pass before a route sees it: a loopback server's Host check (DNS
rebinding), the body's byte limit and deadline, and a per-client rate limit. The API and the
MCP server's HTTP transport both use them."""

from __future__ import annotations

import asyncio
import threading
import time

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.config import Settings


class HostCheck:
    """DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 is, to
    the browser, same-origin with this server (Origin and Host agree), so neither CORS nor the
    origin check on writes stops it reading answers or writing. A loopback server therefore
    answers only to loopback Host names and those in RAG_ALLOWED_HOSTS (421 otherwise)."""

    def __init__(self, app, allowed: set[str]):
        self.app, self.allowed = app, allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        header = dict(scope["headers"]).get(b"host", b"").decode("latin-1").strip().lower()
        name = header[1:header.find("]")] if header.startswith("[") else header.rsplit(":", 1)[0]
        if name not in self.allowed:
            return await JSONResponse(
                {"error": f"this server answers to {', '.join(sorted(self.allowed))}, not Host {header!r}; "
                          f"list the name in RAG_ALLOWED_HOSTS"}, status_code=421)(scope, receive, send)
        return await self.app(scope, receive, send)


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int, why: str):
        super().__init__(413, f"request body over {limit:,} bytes: {why}")


class BodyLimit:
    """Counts body bytes as they arrive and stops at the limit: uploads get
    RAG_MAX_UPLOAD_BYTES plus form overhead, every other request RAG_MAX_BODY_BYTES.
    A Content-Length over it is refused before anything is read. The refusal names the
    setting: a person sees the limit they can change, not a number of unknown origin."""

    FORM_BYTES = 1_000_000  # multipart headers and boundaries around an upload's files

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    def limit(self, scope) -> tuple[int, str]:
        """The byte limit for this request and what it is, said as the refusal says it."""
        if scope["method"] == "POST" and scope["path"].rstrip("/") == "/v1/documents":
            upload = self.settings.api.max_upload_bytes
            return upload + self.FORM_BYTES, (f"the files of one upload may come to {upload:,} bytes in all "
                                              f"(RAG_MAX_UPLOAD_BYTES); send them in smaller batches")
        return self.settings.api.max_body_bytes, "the limit for a request (RAG_MAX_BODY_BYTES)"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        (limit, why), received = self.limit(scope), 0
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            return await JSONResponse({"error": BodyTooLarge(limit, why).detail},
                                      status_code=413)(scope, receive, send)

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, why)
            return message

        await _refusing(BodyTooLarge, self.app, scope, counted, send)


class BodyTimeout(StarletteHTTPException):
    def __init__(self, seconds: float):
        super().__init__(408, f"the request body did not arrive within {seconds:g} s (RAG_BODY_SECONDS)",
                         headers={"Connection": "close"})


class BodyDeadline:
    """Slow bodies: uvicorn waits for a body as long as its client keeps the socket open, so a
    client that sends headers and then trickles (or never ends) a body would hold a connection
    and the request's handler without limit. The whole body must arrive within `seconds` of the
    headers (408 and the connection closed after). A response sent before the body was all read
    closes the connection too, so unread bytes cannot keep it open either."""

    def __init__(self, app, seconds: float):
        self.app, self.seconds = app, seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.seconds <= 0:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        done = headers.get(b"content-length", b"0") == b"0" and b"transfer-encoding" not in headers
        deadline = asyncio.get_running_loop().time() + self.seconds

        async def timed():
            nonlocal done
            if done:  # after the body: a streaming response waits here for the client to leave
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), deadline - asyncio.get_running_loop().time())
            except TimeoutError:
                raise BodyTimeout(self.seconds) from None
            done = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def closing(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not done and all(name.lower() != b"connection" for name, _ in headers):
                    # the rest of the body is never read: end the connection with this response
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await _refusing(BodyTimeout, self.app, scope, timed, closing)


async def _refusing(refusal: type[StarletteHTTPException], app, scope, receive, send) -> None:
    """Runs the app; a refusal raised while it read the body, where no handler turned it into
    a response, is answered as JSON, unless the response had begun (then it goes on up)."""
    started = False

    async def tracked(message):
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, tracked)
    except refusal as err:
        if started:
            raise
        refused = JSONResponse({"error": err.detail}, status_code=err.status_code, headers=err.headers)
        await refused(scope, receive, send)


class RateLimiter:
    """A token bucket per client: `per_minute` requests, refilled continuously. A client whose
    bucket has refilled is forgotten once many are held (it would start full anyway), so clients
    that each send once (an IPv6 network has billions of addresses) cannot grow it without end."""

    PRUNE_AT = 10_000

    def __init__(self, per_minute: int):
        self.rate, self.capacity = per_minute / 60.0, float(per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()
        self.prune_at = self.PRUNE_AT

    def _prune(self, now: float) -> None:
        self.buckets = {client: (tokens, last) for client, (tokens, last) in self.buckets.items()
                        if tokens + (now - last) * self.rate < self.capacity}
        self.prune_at = max(self.PRUNE_AT, 2 * len(self.buckets))  # amortised: a pass per doubling

    def wait(self, client: str) -> float:
        """Seconds until this client may send again; 0 means go (and a token is taken)."""
        now = time.monotonic()
        with self.lock:
            if len(self.buckets) >= self.prune_at:
                self._prune(now)
            tokens, last = self.buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                return 0.0
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate
