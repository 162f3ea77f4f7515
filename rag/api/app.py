"""The FastAPI app: a thin HTTP face over one Engine that this process owns.

Every error is JSON with a message for people, never a stack trace; writes are
serialised by the engine's lock while reads go on in other threads. Every request body
is held to a byte limit as it streams in (chunked bodies too) and to a time limit for
arriving whole (rag/api/guards.py); /healthz is never rate limited; /docs serves its Swagger UI from local
files and is protected like any read.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.api import documents, openai_chat, openai_models, openai_responses, queries, reports
from rag.api.deps import can_read
from rag.api.guards import BodyDeadline, BodyLimit, HostCheck, RateLimiter
from rag.api.openai_errors import OPENAI_PATHS, OpenAIErrors, openai_error
from rag.api.response_store import RecentResponses
from rag.config import Settings
from rag.engine import Engine
from rag.scope import UnknownDocuments

log = logging.getLogger("rag.api")


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               host: str | None = None) -> FastAPI:
    """`host`: the address the server listens on; on loopback (`rag serve`'s default) only
    loopback Host names, and RAG_ALLOWED_HOSTS, are answered."""
    settings = settings or Settings()
    owned = engine is None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if owned:  # an engine passed in belongs to the caller, who closes it
            app.state.engine.close()

    app = FastAPI(title="Attest", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None,
                  description="Answers made only of verbatim quotes, each cited with exact offsets.",
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine or Engine(settings).serving(settings.runtime.serve_threads or 1)
    app.state.responses = RecentResponses()  # for previous_response_id: this process's, bounded

    if settings.api.rate_limit > 0:
        limiter = RateLimiter(settings.api.rate_limit)

        @app.middleware("http")
        async def rate_limit(request: Request, call_next):
            if request.url.path == "/healthz":  # probes spend no client's budget
                return await call_next(request)
            client = request.client.host if request.client else "unknown"
            wait = limiter.wait(client)
            if wait > 0:
                return JSONResponse({"error": f"rate limit of {settings.api.rate_limit} requests per minute "
                                              f"reached; retry in {wait:.0f} s"},
                                    status_code=429, headers={"Retry-After": str(max(1, round(wait)))})
            return await call_next(request)

    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(BodyDeadline, seconds=settings.api.body_seconds)
    _offline_docs(app)

    if settings.api.cors_origins.strip():  # off unless asked for: no CORS headers at all
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.api.cors_origins.split(",")],
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type"])

    app.add_middleware(OpenAIErrors)  # outside the guards, so their refusals on chat are reshaped too

    if host in LOOPBACK:  # added last, so it runs first: before CORS, limits and routes
        app.add_middleware(HostCheck, allowed=LOOPBACK | {h.strip().lower() for h in
                                                          settings.api.allowed_hosts.split(",") if h.strip()})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":  # no such route: most often a base URL without /v1
            detail = (f"no endpoint {request.url.path}; the API's paths start /v1/ (an OpenAI client's "
                      f"base_url ends in /v1) and /docs lists them")
        return JSONResponse({"error": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(UnknownDocuments)
    async def unknown_documents(_: Request, exc: UnknownDocuments):
        return JSONResponse({"error": str(exc)}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        errors = [_field_error(e) for e in exc.errors()]
        # the problems in the message too: an OpenAI client (and rag.api.client) shows only `error`
        said = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3])
        more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
        return JSONResponse({"error": f"invalid request: {said}{more}", "details": errors}, status_code=422)

    if settings.index.chroma_url:
        import httpx

        @app.exception_handler(httpx.TransportError)
        async def vectors_unreachable(_: Request, exc: httpx.TransportError):
            # the Chroma server went away after start-up: say so (503), not "internal error"
            log.warning("the Chroma server at %s does not answer: %s", settings.index.chroma_url, exc)
            return JSONResponse({"error": f"the vector store (the Chroma server at {settings.index.chroma_url}) "
                                          f"does not answer; try again once it is back (`rag verify --repair` "
                                          f"mends the vectors of a write it cut short)"},
                                status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unhandled error")
        said = JSONResponse({"error": "internal error; the server log has the details"}, status_code=500)
        if request.url.path.startswith(OPENAI_PATHS):  # this handler runs outside every middleware
            return Response(openai_error(said.body, 500), status_code=500, media_type="application/json")
        return said

    app.include_router(queries.router)
    app.include_router(openai_chat.router)
    app.include_router(openai_responses.router)
    app.include_router(openai_models.router)
    app.include_router(documents.router)
    app.include_router(reports.router)
    return app


def _field_error(error: dict) -> dict:
    """One validation problem as {field, message}. A body that is no JSON is said so, with where
    the parser stopped: FastAPI's own words were "body.0: JSON decode error"."""
    if error.get("type") == "json_invalid":
        where, why = error.get("loc", ("body", 0))[-1], (error.get("ctx") or {}).get("error", "")
        return {"field": "body", "message": f"the body is not valid JSON ({why}, at character {where})"}
    return {"field": ".".join(str(p) for p in error.get("loc", ())), "message": error.get("msg", "")}


def _offline_docs(app: FastAPI) -> None:
    """/openapi.json and /docs behind the read check; Swagger UI's files from the
    swagger-ui-bundle package, so the page works with no network."""
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(can_read)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(can_read)])
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Attest API",
                                   swagger_js_url="/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/assets/swagger-ui.css",
                                   swagger_favicon_url="/docs/assets/favicon-32x32.png")
