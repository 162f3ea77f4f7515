"""Dependencies: the engine, the bearer-token checks, and the browser-origin check on writes.

A browser can send a cross-origin multipart POST without a preflight, so writes carry a
second check that does not depend on a token being set: a request a browser marks as
coming from another origin (Origin, or Sec-Fetch-Site without it) is refused unless
RAG_CORS_ORIGINS lists that origin. Clients that are not browsers send neither header.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.engine import Engine

_bearer = HTTPBearer(auto_error=False)


def engine(request: Request) -> Engine:
    return request.app.state.engine


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    token = request.app.state.settings.api.api_token
    if not token:
        return
    if credentials is None:
        raise HTTPException(401, "this endpoint needs 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(403, "the bearer token is not valid")


def foreign_origin(request: Request) -> str:
    """The other origin a browser says this request comes from, or '' when it is this
    server's own origin, a listed one, or no browser at all."""
    origin = request.headers.get("origin", "").rstrip("/")
    listed = {o.strip().rstrip("/") for o in request.app.state.settings.api.cors_origins.split(",") if o.strip()}
    if origin:
        if origin in listed or (origin != "null" and urlsplit(origin).netloc == request.headers.get("host")):
            return ""
        return origin
    site = request.headers.get("sec-fetch-site", "")
    return f"a {site} page" if site in ("cross-site", "same-site") else ""


def can_write(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    if origin := foreign_origin(request):
        raise HTTPException(403, f"writes from a web page on another origin ({origin}) are refused; "
                                 f"list it in RAG_CORS_ORIGINS to allow it")
    _check(request, credentials)


def within_limit(request: Request, *texts: str, what: str = "a question or an earlier turn") -> None:
    """422 when a question (or an earlier turn sent with it, or a search's query: `what` says
    which) is over RAG_MAX_QUESTION_CHARS."""
    limit = request.app.state.settings.answer.max_question_chars
    if any(len(text) > limit for text in texts):
        raise HTTPException(422, f"{what} is over {limit:,} characters (RAG_MAX_QUESTION_CHARS)")


def can_read(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    if request.app.state.settings.api.protect_reads:
        _check(request, credentials)
