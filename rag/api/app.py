"""The FastAPI app: a thin HTTP face over one Engine that this process owns.

Every error is JSON with a message for people, never a stack trace; writes are
serialised by the engine's lock while reads go on in other threads.
"""

from __future__ import annotations

import logging
import threading
import time

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.api import documents, openai_chat, queries
from rag.config import Settings
from rag.engine import Engine

log = logging.getLogger("rag.api")


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="Attest", version="0.1.0",
                  description="Answers made only of verbatim quotes, each cited with exact offsets.")
    app.state.settings = settings
    app.state.engine = engine or Engine(settings).serving(settings.serve_threads or 1)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_bytes + 1_000_000:
            return JSONResponse({"error": f"request body over {settings.max_upload_bytes:,} bytes"},
                                status_code=413)
        return await call_next(request)

    if settings.rate_limit > 0:
        limiter = RateLimiter(settings.rate_limit)

        @app.middleware("http")
        async def rate_limit(request: Request, call_next):
            client = request.client.host if request.client else "unknown"
            wait = limiter.wait(client)
            if wait > 0 and request.url.path != "/healthz":
                return JSONResponse({"error": f"rate limit of {settings.rate_limit} requests per minute "
                                              f"reached; retry in {wait:.0f} s"},
                                    status_code=429, headers={"Retry-After": str(max(1, round(wait)))})
            return await call_next(request)

    if settings.cors_origins.strip():  # off unless asked for: no CORS headers at all
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        errors = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "details": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception):
        log.exception("unhandled error")
        return JSONResponse({"error": "internal error; the server log has the details"}, status_code=500)

    app.include_router(queries.router)
    app.include_router(openai_chat.router)
    app.include_router(documents.router)
    return app


class RateLimiter:
    """A token bucket per client: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int):
        self.rate, self.capacity = per_minute / 60.0, float(per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds until this client may send again; 0 means go (and a token is taken)."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                return 0.0
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate
