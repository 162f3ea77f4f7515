"""Dependencies: the engine and the bearer-token checks."""

from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.engine import Engine

_bearer = HTTPBearer(auto_error=False)


def engine(request: Request) -> Engine:
    return request.app.state.engine


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    token = request.app.state.settings.api_token
    if not token:
        return
    if credentials is None:
        raise HTTPException(401, "this endpoint needs 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(403, "the bearer token is not valid")


def can_write(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    _check(request, credentials)


def can_read(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    if request.app.state.settings.protect_reads:
        _check(request, credentials)
