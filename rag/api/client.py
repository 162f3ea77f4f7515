"""A small client of the Attest HTTP API, as the UI uses it: one place for the base URL,
the bearer token, and turning an error response into one readable message."""

from __future__ import annotations

import threading
from collections import OrderedDict
from urllib.parse import quote

import httpx


class ApiError(Exception):
    """The API could not be reached, or answered with an error (the message says which)."""


class Unreachable(ApiError):
    """Nothing answered at the base URL (refused, or no answer in time): asking again at once
    only makes the person wait again."""


def document_path(document_id: str) -> str:
    """A document's API path, its id encoded: '#', '?' and '%' would otherwise end or change
    it ('uploads/a#b.txt' must not reach the API as 'uploads/a')."""
    return f"/v1/documents/{quote(document_id, safe='/')}"


TIMEOUT = 60.0  # seconds for an answer; an upload is given INGEST_TIMEOUT, as it ingests before answering
INGEST_TIMEOUT = 3600.0


def request(base_url: str, method: str, path: str, token: str = "", timeout: float = TIMEOUT,
            **kwargs) -> httpx.Response:
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = httpx.request(method, f"{base_url}{path}", headers=headers, timeout=timeout, **kwargs)
    except httpx.TimeoutException:  # reached, but slow: a write may still finish there
        raise Unreachable(f"The Attest API at {base_url} did not answer within {timeout:.0f} s; it may still be "
                       f"working on the request (reload to see whether it took effect).") from None
    except httpx.TransportError:
        raise Unreachable(f"The Attest API at {base_url} is not reachable. Is rag serve running?") from None
    if response.status_code >= 400:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text[:200]
        if isinstance(message, dict):  # the OpenAI-compatible endpoints' shape (rag/api/openai_errors.py)
            message = message.get("message", message)
        raise ApiError(f"The API answered {response.status_code}: {message}")
    return response


def body(response: httpx.Response):
    """The response's JSON. Anything else (an HTML page: RAG_API_URL naming the UI, or a proxy's
    page) is an ApiError saying where it came from, not a decoding traceback."""
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        raise ApiError(f"{response.request.url} answered {response.status_code} with {kind}, not the Attest "
                       f"API's JSON. Is RAG_API_URL the address of `rag serve` (not of the UI)?") from None


class DocumentCache:
    """Fetched documents by id, each with its ETag, shared by the UI's sessions: only the
    `size` most recently used are kept, so a server that runs for weeks over a large corpus
    does not end up holding every document anyone ever opened."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[str, tuple[str, dict]] = OrderedDict()
        self._lock = threading.Lock()  # sessions run in threads of one server

    def get(self, document_id: str) -> tuple[str, dict] | None:
        with self._lock:
            item = self._items.get(document_id)
            if item is not None:
                self._items.move_to_end(document_id)
            return item

    def put(self, document_id: str, etag: str, document: dict) -> None:
        with self._lock:
            self._items[document_id] = (etag, document)
            self._items.move_to_end(document_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def batches(sizes: list[int], limit: int) -> list[list[int]]:
    """The files of one upload (their sizes, in order) as batches of indexes, each batch at most
    `limit` bytes in all, so that files each within the API's upload limit are never refused
    together for their sum; a file over the limit goes alone, for the API to refuse by name."""
    out: list[list[int]] = []
    total = 0
    for index, size in enumerate(sizes):
        if not out or total + size > limit:
            out.append([])
            total = 0
        out[-1].append(index)
        total += size
    return out


def upload(send, files: list[tuple[str, bytes]], limit: int) -> list[tuple[str, str]]:
    """(kind, message) for each file of an upload, sent as `batches` of at most `limit` bytes by
    `send(files) -> the API's upload result`. A batch the API refuses is said by its files'
    names, and the other batches still go."""
    said: list[tuple[str, str]] = []
    for batch in batches([len(content) for _, content in files], limit):
        part = [files[i] for i in batch]
        try:
            said += [upload_message(name, outcome) for name, outcome in send(part)["files"].items()]
        except ApiError as err:
            said.append(("error", f"{', '.join(name for name, _ in part)}: {err}"))
    return said


def upload_message(name: str, outcome: dict) -> tuple[str, str]:
    """(kind, message) for one uploaded file: ingested, ingested with records skipped (each
    reason said, the first few), or not ingested and why."""
    skipped = [reason.removesuffix("; skipped") for reason in outcome.get("skipped", [])]
    reasons = "; ".join(skipped[:3]) + (f"; and {len(skipped) - 3} more" if len(skipped) > 3 else "")
    if outcome.get("ok") and not skipped:
        return "success", f"{name}: ingested"
    if outcome.get("ok"):
        count = len(outcome.get("documents", []))
        return "warning", f"{name}: ingested {count} document{'s' * (count != 1)}, skipped {len(skipped)}: {reasons}"
    why = (outcome.get("error") or reasons or "no document in it").removeprefix(f"{name}: ")
    return "error", f"{name}: not ingested ({why})"
