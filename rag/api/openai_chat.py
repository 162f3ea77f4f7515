"""OpenAI-compatible chat completions over the engine, streaming and not.

The assistant content is the quotes as Markdown with [n] markers (rag/render.py: quote
text escaped to render as stored, metadata one line); the same quotes are returned raw as
structured `citations` with their strength (top level, and in the final stream chunk), so
a client never loses them. The last user message is the question, earlier ones history.
A stream sends one chunk per quote, then the sources; an answer that fails once the stream
has begun ends it with an OpenAI error event (`{"error": {"message", "type", ...}}`), which the
openai client raises, not a cut-off connection. `usage` counts MiniLM tokenizer
tokens (the retrieval model's own tokenizer; there is no generating model to count).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import StreamingResponse

from rag.api.deps import can_read, engine, within_limit
from rag.api.openai_errors import error_object
from rag.api.schemas import ChatMessage, ChatRequest, OpenAIErrorBody, errors
from rag.embed import count_tokens
from rag.engine import Engine
from rag.render import label, markdown_parts
from rag.types import Answer, Turn

log = logging.getLogger("rag.api")
router = APIRouter(prefix="/v1")
MODEL_ID = "attest"
STREAM_FAILED = "the answer failed after the stream began; the server log has the details"


def _text(message: ChatMessage, index: int) -> str:
    """A message's text: a string, or OpenAI text parts ({"type": "text", "text": "..."});
    any other shape is the client's mistake (422), never a crash."""
    if message.content is None or isinstance(message.content, str):
        return _unicode(message.content or "", f"messages[{index}].content")
    texts = []
    for n, part in enumerate(message.content):
        if not isinstance(part, dict) or not isinstance(part.get("text"), str) \
                or part.get("type", "text") != "text":
            raise HTTPException(422, f"messages[{index}].content[{n}] is not a text part "
                                     '({"type": "text", "text": "..."}); only text is accepted')
        texts.append(_unicode(part["text"], f"messages[{index}].content[{n}].text"))
    return " ".join(texts)


def _unicode(text: str, field: str) -> str:
    """JSON can carry a lone surrogate (\\ud800) that pydantic lets through in these loosely
    typed fields; no tokenizer takes it, so it is refused here as it is for /v1/ask."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, f"{field} is not valid Unicode (a lone surrogate such as \\ud800)") from None
    return text


def _conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn], int]:
    """The question, the history before it and the prompt's MiniLM token count."""
    texts = [_text(m, i) for i, m in enumerate(messages)]
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    if not users:
        raise HTTPException(422, "messages need at least one user message with text")
    if not texts[users[-1]].strip():  # not skipped for an earlier one: that would answer an old question again
        raise HTTPException(422, f"messages[{users[-1]}], the last user message (the question), is blank")
    question = texts[users[-1]].strip()
    history = [Turn(role=m.role, content=texts[i], citations=m.citations) for i, m in enumerate(messages[: users[-1]])
               if m.role in {"user", "assistant"}]
    return question, history, sum(count_tokens(t) for t in texts)


def _citations(answer: Answer, eng: Engine) -> list[dict]:
    return [{**q.model_dump(), "strength": label(q, eng.settings)} for q in answer.quotes]


def _usage(prompt: int, content: str) -> dict:
    completion = count_tokens(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


_MODEL = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "attest"}


@router.get("/models", dependencies=[Depends(can_read)], responses=errors(401, 403, 429, body=OpenAIErrorBody))
def models() -> dict:
    """The one model, `attest`, for OpenAI clients that list models first."""
    return {"object": "list", "data": [_MODEL]}


@router.get("/models/{model_id:path}", dependencies=[Depends(can_read)],
            responses=errors(401, 403, 404, 422, 429, body=OpenAIErrorBody))
def model(model_id: Annotated[str, Path(description="A model id: `attest` is the only one.")]) -> dict:
    """`attest` (the openai client's `models.retrieve`, which some clients call before chatting)."""
    if model_id != MODEL_ID:
        raise HTTPException(404, f"no model {model_id!r}; this server has one, {MODEL_ID!r} "
                                 f"(chat requests may name any model: it is ignored)")
    return _MODEL


_REPLY = {"description": "A `chat.completion` (`choices[0].message.content`: the quotes as Markdown with [n] "
                          "markers, then the sources), with top-level `citations` (the quotes as `/v1/ask` gives "
                          "them) and `answer`; with `stream`, `chat.completion.chunk` server-sent events ending "
                          "in `data: [DONE]`.",
          "content": {"application/json": {}, "text/event-stream": {}}}


@router.post("/chat/completions", dependencies=[Depends(can_read)],
             responses={200: _REPLY, **errors(401, 403, 404, 408, 413, 422, 429, body=OpenAIErrorBody)})
def chat_completions(body: ChatRequest, request: Request, eng: Engine = Depends(engine)):
    """OpenAI-compatible chat: the last user message is the question, the earlier ones the
    conversation a follow-up is read with. The reply is quotes only, or the decline."""
    question, history, prompt = _conversation(body.messages)
    within_limit(request, question)
    ident, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    # resolved before a stream starts, so that an unknown name is a 404, not a broken stream
    scope = None if body.documents is None else eng.scope(body.documents)
    if not body.stream:
        answer = eng.ask(question, history=history, max_quotes=body.max_quotes, documents=scope)
        content = "\n\n".join(markdown_parts(answer, eng.settings))
        return {
            "id": ident, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": _usage(prompt, content),
            "citations": _citations(answer, eng), "answer": answer.model_dump(),
        }

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        payload = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    def events():
        yield chunk({"role": "assistant", "content": ""})  # the client hears back before the answer
        try:
            answer = eng.ask(question, history=history, max_quotes=body.max_quotes, documents=scope)
            parts = list(markdown_parts(answer, eng.settings))
        except Exception:  # the status is sent: say it in the stream, where an openai client raises it
            log.exception("a chat stream's answer failed")
            yield f"data: {json.dumps({'error': error_object(STREAM_FAILED, 500)})}\n\n"
            return
        sent = []
        for part in parts:
            text = ("\n\n" if sent else "") + part
            sent.append(text)
            yield chunk({"content": text})
        yield chunk({}, "stop", citations=_citations(answer, eng), answer=answer.model_dump(),
                    usage=_usage(prompt, "".join(sent)))
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
