"""The FastAPI app: a thin HTTP face over one Engine that this process owns.

Every error is JSON with a message for people, never a stack trace; writes are
serialised by the engine's lock while reads go on in other threads.
"""

from __future__ import annotations

import logging

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
    app.state.engine = engine or Engine(settings)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_bytes + 1_000_000:
            return JSONResponse({"error": f"request body over {settings.max_upload_bytes:,} bytes"},
                                status_code=413)
        return await call_next(request)

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
