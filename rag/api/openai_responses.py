"""OpenAI's Responses API (POST /v1/responses) over the engine, streaming and not.

The output is one assistant message with one `output_text`: the rendering chat completions
send (rag/render.py: the quotes as Markdown with [n] markers, then the sources; or the decline).
Each quote is also a `url_citation` annotation spanning its block quote in that text and
carrying `document_id`, `start` and `end`, and the top-level `citations` are the quotes as chat
gives them; nothing else is written. The question is the last user message of `input`; the
history is the conversation kept for `previous_response_id` (rag/api/response_store.py), then the
earlier input messages. A stream sends the events the openai client's helpers read; an answer
that fails once it began ends in `response.failed` and an `error` event, which the client raises.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote as url_quoted

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ValidationError

from rag.api.deps import can_read, engine, within_limit
from rag.api.openai_errors import error_object
from rag.api.openai_messages import MODEL_ID, STREAM_FAILED, Message, citations, conversation, sse, text_of, unicode
from rag.api.response_store import KEPT, Kept, RecentResponses
from rag.api.schemas import InputMessage, OpenAIErrorBody, ResponsesRequest, errors
from rag.config import Settings
from rag.embed import count_tokens
from rag.engine import Engine
from rag.render import markdown_parts, one_line
from rag.types import Answer, Citation, Turn

log = logging.getLogger("rag.api")
router = APIRouter(prefix="/v1")
TEXT_PARTS = ("input_text", "output_text")  # a user's text, and an earlier reply's sent back


@dataclass(frozen=True)
class Reply:
    """The output text in the pieces a stream sends (one per quote, then the sources) and
    the annotations over it."""

    pieces: list[str]
    annotations: list[dict]

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def recent(request: Request) -> RecentResponses:
    return request.app.state.responses


def _valid(model: type[BaseModel], value: object, *where: str | int) -> BaseModel:
    """A part of the loosely typed `input` checked as a request field is: a 422 naming it."""
    try:
        return model.model_validate(value)
    except ValidationError as e:
        raise RequestValidationError([{**err, "loc": ("body", *where, *err["loc"])} for err in e.errors()]) from None


def _cited(content: str | list, at: int) -> list[Citation]:
    """The citations an Attest reply's annotations carry, when its output is sent back as input."""
    found = []
    for n, part in enumerate(content if isinstance(content, list) else []):
        notes = part.get("annotations")
        for k, note in enumerate(notes if isinstance(notes, list) else []):
            if isinstance(note, dict) and "document_id" in note:
                found.append(_valid(Citation, note, "input", at, "content", n, "annotations", k))
    return found


def _messages(body: ResponsesRequest) -> list[Message]:
    if isinstance(body.input, str):
        return [Message("user", unicode(body.input, "input"), "input")]
    said = []
    for i, item in enumerate(body.input):
        if item.get("type", "message") != "message":
            continue  # function calls and their outputs, reasoning: nothing a question is read from
        message = _valid(InputMessage, item, "input", i)
        text = text_of(message.content, f"input[{i}].content", TEXT_PARTS)  # first: it checks each part is one
        cited = message.citations + _cited(message.content, i)
        if len(cited) > 50:
            raise HTTPException(422, f"input[{i}] carries {len(cited)} citations; an answer has at most 50")
        said.append(Message(message.role, text, f"input[{i}]", cited))
    return said


def _kept(ident: str, kept: RecentResponses) -> Kept:
    if (found := kept.get(ident)) is None:
        raise HTTPException(404, f"no response {ident!r} is kept: this server keeps the last {KEPT:,} responses "
                                 f"of its own process (not across restarts or workers, nor any made with store "
                                 f"false); send the earlier turns as input instead")
    return found


def _reply(answer: Answer, settings: Settings, base: str) -> Reply:
    """The chat rendering, with each quote's citation over its block quote ([n] marker included)."""
    pieces, notes, at = [], [], 0
    limit = settings.answer.meta_chars
    for n, part in enumerate(markdown_parts(answer, settings)):
        piece = ("\n\n" if pieces else "") + part
        start = at + len(piece) - len(part)
        if answer.answered and n < len(answer.quotes):
            q = answer.quotes[n]
            notes.append({"type": "url_citation", "start_index": start, "end_index": start + len(part),
                          "title": one_line(q.title, limit) or one_line(q.document_id, limit),
                          # the stored text that the offsets index (RFC 5147's fragment names the span)
                          "url": f"{base}v1/documents/{url_quoted(q.document_id, safe='/')}#char={q.start},{q.end}",
                          "document_id": q.document_id, "start": q.start, "end": q.end})
        pieces.append(piece)
        at += len(piece)
    return Reply(pieces, notes)


def _part(text: str = "", annotations: list[dict] | None = None) -> dict:
    return {"type": "output_text", "text": text, "annotations": annotations or [], "logprobs": []}


def _message(ident: str, reply: Reply | None) -> dict:
    """The assistant message: empty and in progress until its reply is whole."""
    return {"id": ident, "type": "message", "role": "assistant", "status": "completed" if reply else "in_progress",
            "content": [_part(reply.text, reply.annotations)] if reply else []}


def _usage(prompt: int, text: str) -> dict:
    output = count_tokens(text)
    return {"input_tokens": prompt, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": output, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": prompt + output}


def _response(ident: str, created: int, body: ResponsesRequest, status: str, **fields) -> dict:
    """A `response` object; what Attest does not do is said as OpenAI says it is off."""
    return {"id": ident, "object": "response", "created_at": created, "status": status, "error": None,
            "incomplete_details": None, "instructions": body.instructions, "model": MODEL_ID, "output": [],
            "parallel_tool_calls": False, "previous_response_id": body.previous_response_id, "store": body.store,
            "temperature": None, "top_p": None, "tool_choice": "none", "tools": [], "background": False,
            "text": {"format": {"type": "text"}}, "truncation": "disabled", "max_output_tokens": None,
            "metadata": body.metadata or {}, "usage": None, **fields}


_REPLY = {"description": "A `response` whose `output` is one assistant message (`output_text`: the quotes as "
                          "Markdown with [n] markers, then the sources; each quote a `url_citation` annotation with "
                          "`document_id`, `start`, `end`), with top-level `citations` and `answer`; with `stream`, "
                          "the Responses API's server-sent events ending in `response.completed`.",
          "content": {"application/json": {}, "text/event-stream": {}}}


@router.post("/responses", dependencies=[Depends(can_read)],
             responses={200: _REPLY, **errors(401, 403, 404, 408, 413, 422, 429, body=OpenAIErrorBody)})
def create_response(body: ResponsesRequest, request: Request, eng: Engine = Depends(engine),
                    kept: RecentResponses = Depends(recent)):
    """OpenAI's Responses API: the last user message of `input` is the question; the conversation
    of `previous_response_id` and the earlier messages are what a follow-up is read with. The
    output is quotes only, or the decline; `instructions` are ignored."""
    # before a stream starts: a 404, not a broken stream
    earlier = [] if body.previous_response_id is None else _kept(body.previous_response_id, kept).turns
    asked = conversation(_messages(body), what="the input items")
    within_limit(request, asked.question)
    scope = None if body.documents is None else eng.scope(body.documents)
    ident, item, created = f"resp_{uuid.uuid4().hex}", f"msg_{uuid.uuid4().hex}", int(time.time())
    prompt = asked.prompt_tokens + count_tokens(body.instructions or "")

    def answered() -> tuple[dict, Reply]:
        history = [*earlier, *asked.history]
        answer = eng.ask(asked.question, history=history, max_quotes=body.max_quotes, documents=scope)
        reply = _reply(answer, eng.settings, str(request.base_url))
        done = _response(ident, created, body, "completed", completed_at=int(time.time()),
                         output=[_message(item, reply)], usage=_usage(prompt, reply.text),
                         citations=citations(answer, eng), answer=answer.model_dump())
        if body.store:
            kept.keep(ident, done, [*history, Turn(role="user", content=asked.question),
                                    Turn.replying(answer, reply.text)])
        return done, reply

    if not body.stream:
        return answered()[0]
    return StreamingResponse(_events(lambda status, **fields: _response(ident, created, body, status, **fields),
                                     item, answered), media_type="text/event-stream")


def _events(shell, item: str, answered) -> Iterator[str]:
    """The Responses API's stream: created and in progress before the answer (the client hears
    back at once), then the message, one text delta per quote with its annotation, the sources,
    and the completed response."""
    numbers = itertools.count()

    def event(kind: str, **fields) -> str:
        return sse({"type": kind, "sequence_number": next(numbers), **fields}, event=kind)

    yield event("response.created", response=shell("in_progress"))
    yield event("response.in_progress", response=shell("in_progress"))
    try:
        done, reply = answered()
    except Exception:  # the status is sent: say it in the stream, where the openai client raises it
        log.exception("a responses stream's answer failed")
        yield event("response.failed", response=shell("failed", error={"code": "server_error",
                                                                        "message": STREAM_FAILED}))
        # flat as OpenAI's reference has it, and nested as its servers send it (the client raises that)
        yield event("error", code="server_error", message=STREAM_FAILED, param=None,
                    error=error_object(STREAM_FAILED, 500))
        return
    at = {"item_id": item, "output_index": 0, "content_index": 0}
    yield event("response.output_item.added", output_index=0, item=_message(item, None))
    yield event("response.content_part.added", **at, part=_part())
    for n, piece in enumerate(reply.pieces):
        yield event("response.output_text.delta", **at, delta=piece, logprobs=[])
        if n < len(reply.annotations):
            yield event("response.output_text.annotation.added", **at, annotation_index=n,
                        annotation=reply.annotations[n])
    yield event("response.output_text.done", **at, text=reply.text, logprobs=[])
    yield event("response.content_part.done", **at, part=_part(reply.text, reply.annotations))
    yield event("response.output_item.done", output_index=0, item=_message(item, reply))
    yield event("response.completed", response=done)


@router.get("/responses/{response_id}", dependencies=[Depends(can_read)],
            responses=errors(401, 403, 404, 422, 429, body=OpenAIErrorBody))
def get_response(response_id: Annotated[str, Path(description="A response id this process kept.")],
                 kept: RecentResponses = Depends(recent)) -> dict:
    """A kept response as it was returned (the openai client's `responses.retrieve`)."""
    return _kept(response_id, kept).response
