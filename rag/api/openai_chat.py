"""OpenAI-compatible chat completions over the engine, streaming and not.

The assistant content is the quotes as Markdown with [n] markers; the same quotes are
returned as structured `citations` (top level, and in the final stream chunk), so a
client never loses them. The last user message is the question, earlier ones history.
"""

from __future__ import annotations

import json
import time
import uuid

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import StreamingResponse

from rag.api.deps import can_read, engine
from rag.api.schemas import MAX_QUESTION, ChatMessage, ChatRequest
from rag.engine import Engine
from rag.render import as_markdown
from rag.types import Answer, Turn

router = APIRouter(prefix="/v1")
MODEL_ID = "attest"


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    if isinstance(message.content, list):  # OpenAI content parts
        return " ".join(p.get("text", "") for p in message.content if isinstance(p, dict))
    return ""


def _conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    users = [i for i, m in enumerate(messages) if m.role == "user" and _text(m).strip()]
    if not users:
        raise HTTPException(422, "messages need at least one user message with text")
    question = _text(messages[users[-1]]).strip()
    if len(question) > MAX_QUESTION:
        raise HTTPException(422, f"the question is over {MAX_QUESTION} characters")
    history = [Turn(role=m.role, content=_text(m), citations=m.citations) for m in messages[: users[-1]]
               if m.role in {"user", "assistant"}]
    return question, history


def _citations(answer: Answer) -> list[dict]:
    return [q.model_dump() for q in answer.quotes]


@router.get("/models", dependencies=[Depends(can_read)])
def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0,
                                        "owned_by": "attest"}]}


@router.post("/chat/completions", dependencies=[Depends(can_read)])
def chat_completions(body: ChatRequest, eng: Engine = Depends(engine)):
    question, history = _conversation(body.messages)
    answer = eng.ask(question, history=history, max_quotes=body.max_quotes)
    content = as_markdown(answer)
    ident, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if not body.stream:
        return {
            "id": ident, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "citations": _citations(answer), "answer": answer.model_dump(),
        }

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        payload = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    def events():
        yield chunk({"role": "assistant", "content": ""})
        for part in content.split("\n\n"):
            yield chunk({"content": part + "\n\n"})
        yield chunk({}, "stop", citations=_citations(answer), answer=answer.model_dump())
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
