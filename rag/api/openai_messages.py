"""What the OpenAI-compatible endpoints share: a conversation read from OpenAI messages, the
quotes as structured citations, and server-sent events.

The question is the last user message, the earlier user and assistant messages the history a
follow-up is read with; a blank last user message is refused (422), never replaced by the one
before it, which would answer an old question again. Text arrives as a string or as text parts;
any other part is the client's mistake (422), never a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import HTTPException

from rag.embed import count_tokens
from rag.engine import Engine
from rag.render import label
from rag.types import Answer, Citation, Turn

MODEL_ID = "attest"
STREAM_FAILED = "the answer failed after the stream began; the server log has the details"


@dataclass(frozen=True)
class Message:
    """One message as sent: its role, its text, the citations its quotes came with, and where
    in the request it is (`messages[2]`, `input`), to name it in an error."""

    role: str
    text: str
    where: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True)
class Conversation:
    question: str
    history: list[Turn]
    prompt_tokens: int  # MiniLM tokens of every message's text (there is no generating model to count)


def text_of(content: str | list | None, where: str, kinds: tuple[str, ...] = ("text",)) -> str:
    """A message's text: a string, or text parts whose type is one of `kinds` (the first is
    assumed where a part names none); their texts joined by spaces."""
    if content is None or isinstance(content, str):
        return unicode(content or "", where)
    texts = []
    for n, part in enumerate(content):
        if not isinstance(part, dict) or not isinstance(part.get("text"), str) \
                or part.get("type", kinds[0]) not in kinds:
            raise HTTPException(422, f"{where}[{n}] is not a text part "
                                     f'({{"type": "{kinds[0]}", "text": "..."}}); only text is accepted')
        texts.append(unicode(part["text"], f"{where}[{n}].text"))
    return " ".join(texts)


def unicode(text: str, where: str) -> str:
    """JSON can carry a lone surrogate (\\ud800) that pydantic lets through in these loosely
    typed fields; no tokenizer takes it, so it is refused here as it is for /v1/ask."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, f"{where} is not valid Unicode (a lone surrogate such as \\ud800)") from None
    return text


def conversation(messages: list[Message], what: str = "messages") -> Conversation:
    """The question, the history before it and the prompt's MiniLM token count; `what` names
    the messages in an error ("messages need at least one user message with text")."""
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    if not users:
        raise HTTPException(422, f"{what} need at least one user message with text")
    last = messages[users[-1]]
    if not last.text.strip():
        raise HTTPException(422, f"{last.where}, the last user message (the question), is blank")
    history = [Turn(role=m.role, content=m.text, citations=m.citations) for m in messages[: users[-1]]
               if m.role in {"user", "assistant"}]
    return Conversation(last.text.strip(), history, sum(count_tokens(m.text) for m in messages))


def citations(answer: Answer, eng: Engine) -> list[dict]:
    """The answer's quotes as `/v1/ask` gives them, with the strength every surface shows."""
    return [{**q.model_dump(), "strength": label(q, eng.settings)} for q in answer.quotes]


def sse(payload: dict, event: str | None = None) -> str:
    """One server-sent event; `event` names it, as the Responses API's events are named."""
    named = f"event: {event}\n" if event else ""
    return f"{named}data: {json.dumps(payload, ensure_ascii=False)}\n\n"
