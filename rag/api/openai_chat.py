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

import logging
import time
import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from rag.api.deps import can_read, engine, within_limit
from rag.api.openai_errors import error_object
from rag.api.openai_messages import MODEL_ID, STREAM_FAILED, Message, citations, conversation, sse, text_of
from rag.api.schemas import ChatRequest, OpenAIErrorBody, errors
from rag.embed import count_tokens
from rag.engine import Engine
from rag.render import markdown_parts

log = logging.getLogger("rag.api")
router = APIRouter(prefix="/v1")


def _usage(prompt: int, content: str) -> dict:
    completion = count_tokens(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


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
    asked = conversation([Message(m.role, text_of(m.content, f"messages[{i}].content"), f"messages[{i}]", m.citations)
                          for i, m in enumerate(body.messages)])
    question, history, prompt = asked.question, asked.history, asked.prompt_tokens
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
            "citations": citations(answer, eng), "answer": answer.model_dump(),
        }

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        payload = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return sse(payload)

    def events():
        yield chunk({"role": "assistant", "content": ""})  # the client hears back before the answer
        try:
            answer = eng.ask(question, history=history, max_quotes=body.max_quotes, documents=scope)
            parts = list(markdown_parts(answer, eng.settings))
        except Exception:  # the status is sent: say it in the stream, where an openai client raises it
            log.exception("a chat stream's answer failed")
            yield sse({"error": error_object(STREAM_FAILED, 500)})
            return
        sent = []
        for part in parts:
            text = ("\n\n" if sent else "") + part
            sent.append(text)
            yield chunk({"content": text})
        yield chunk({}, "stop", citations=citations(answer, eng), answer=answer.model_dump(),
                    usage=_usage(prompt, "".join(sent)))
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
