"""Errors in OpenAI's shape on the OpenAI-compatible endpoints (/v1/chat/completions, /v1/responses,
/v1/models).

Every other endpoint answers `{"error": "message"}`. OpenAI clients read `error.message`: the
openai client's exception says only "Error code: 422" when `error` is a string, and LangChain
or LiteLLM show no reason either. So an error on these paths, from a route, a guard (body size,
deadline, rate limit) or the token check alike, is rewritten here, once, to
`{"error": {"message", "type", "param", "code"}, "details"?}`; the message is unchanged.
"""

from __future__ import annotations

import json

# the endpoints, and where an OpenAI client lands with a base_url lacking /v1 or asking what
# Attest does not serve (its 404 then shows in the client's exception: "the paths start /v1/")
OPENAI_PATHS = ("/v1/chat/", "/v1/models", "/v1/completions", "/v1/embeddings", "/v1/responses",
                "/chat/", "/models", "/completions", "/embeddings", "/responses")
# OpenAI's error types by status; any other status is an invalid request (4xx) or a server error
TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error"}


def openai_error(body: bytes, status: int) -> bytes:
    """Attest's `{"error": "...", "details"?}` as OpenAI's error object; anything else as it came."""
    try:
        said = json.loads(body)
    except ValueError:
        return body
    if not isinstance(said, dict) or not isinstance(said.get("error"), str):
        return body
    details = said.get("details") or []
    error = error_object(said["error"], status, details[0]["field"] if details else None)
    return json.dumps({"error": error, **({"details": details} if details else {})}, ensure_ascii=False).encode()


def error_object(message: str, status: int, param: str | None = None) -> dict:
    """OpenAI's error object for a message and its HTTP status (also what a failed stream sends)."""
    kind = TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"message": message, "type": kind, "param": param, "code": status}


class OpenAIErrors:
    """ASGI middleware: on OPENAI_PATHS, an error response's JSON body is rewritten by
    openai_error (buffered: error bodies are small); every other response passes untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(OPENAI_PATHS):
            return await self.app(scope, receive, send)
        start: dict | None = None
        parts: list[bytes] = []

        async def reshaped(message):
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] >= 400:
                start = message  # held until the body is whole
                return
            if start is None or message["type"] != "http.response.body":
                return await send(message)
            parts.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = openai_error(b"".join(parts), start["status"])
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, reshaped)
