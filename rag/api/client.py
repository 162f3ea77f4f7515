"""A small client of the Attest HTTP API, as the UI uses it: one place for the base URL,
the bearer token, and turning an error response into one readable message."""

from __future__ import annotations

from urllib.parse import quote

import httpx


class ApiError(Exception):
    """The API could not be reached, or answered with an error (the message says which)."""


def document_path(document_id: str) -> str:
    """A document's API path, its id encoded: '#', '?' and '%' would otherwise end or change
    it ('uploads/a#b.txt' must not reach the API as 'uploads/a')."""
    return f"/v1/documents/{quote(document_id, safe='/')}"


def request(base_url: str, method: str, path: str, token: str = "", **kwargs) -> httpx.Response:
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = httpx.request(method, f"{base_url}{path}", headers=headers, timeout=60, **kwargs)
    except httpx.TransportError:
        raise ApiError(f"The Attest API at {base_url} is not reachable. Is `rag serve` running?") from None
    if response.status_code >= 400:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text[:200]
        raise ApiError(f"The API answered {response.status_code}: {message}")
    return response
