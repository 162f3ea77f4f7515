"""One label per quote: the engine says strong, medium or weak (rag/strength.py) and the CLI
text, /v1/ask, chat Markdown and citations, MCP and the UI all show that word, even where
their own process has other cut-offs than the server (the UI used to label by its own)."""

from __future__ import annotations

import re

import anyio
import httpx
from mcp import Client

from rag.api.app import create_app
from rag.config import Settings
from rag.integrations.mcp_server import build_server
from rag.render import as_markdown, as_text, strength
from rag.strength import labelled
from rag.types import NO_ANSWER, Answer, Document, Quote
from tests.conftest import running
from tests.test_ui import start

QUESTION = "How much did the Riverside library renovation cost?"


def server_cutoffs(engine, monkeypatch) -> Settings:
    """The engine's settings with cut-offs no default agrees with: every quote is 'weak' there."""
    answer = engine.settings.answer.model_copy(update={"strength_strong": 1.5, "strength_medium": 1.2})
    changed = engine.settings.model_copy(update={"answer": answer})
    monkeypatch.setattr(engine, "settings", changed)
    return changed


def test_the_engine_labels_each_quote_by_its_own_cutoffs(engine, monkeypatch):
    default = engine.ask(QUESTION)
    assert default.quotes and [q.strength for q in default.quotes] == [strength(q.score) for q in default.quotes]
    assert any(q.strength != "weak" for q in default.quotes)  # so the changed cut-offs below show
    server_cutoffs(engine, monkeypatch)
    answer = engine.ask(QUESTION)
    assert [q.strength for q in answer.quotes] == ["weak"] * len(answer.quotes)
    declined = engine.ask("Who won the 2018 FIFA World Cup?")
    assert not declined.answered and all(q.strength is None for q in declined.related)  # not an answer


def test_every_surface_shows_the_engines_label(engine, monkeypatch):
    settings = server_cutoffs(engine, monkeypatch)
    answer = engine.ask(QUESTION)
    labels = [q.strength for q in answer.quotes]
    assert labels == ["weak"] * len(labels)
    # the CLI's text and chat Markdown, rendered with default cut-offs: the quote's label wins
    for rendered in (as_text(answer, Settings()), as_markdown(answer, Settings())):
        assert re.findall(r"\b(strong|medium|weak) \(\d\.\d\d\)", rendered) == labels
    with running(create_app(settings, engine=engine)) as base:
        asked = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=120).json()
        assert [q["strength"] for q in asked["quotes"]] == labels
        chat = httpx.post(f"{base}/v1/chat/completions", timeout=120,
                          json={"messages": [{"role": "user", "content": QUESTION}]}).json()
        assert [c["strength"] for c in chat["citations"]] == labels
        assert re.findall(r"\b(strong|medium|weak) \(", chat["choices"][0]["message"]["content"]) == labels
        at = start(base, monkeypatch)  # the UI process keeps the default cut-offs
        at.chat_input[0].set_value(QUESTION).run()
        assert not at.exception
        shown = [m for h in at.get("html") for m in re.findall(r"data-strength='(\w+)'", h.proto.body)]
        assert shown == labels

    async def mcp() -> list[str]:
        async with Client(build_server(engine)) as client:
            result = await client.call_tool("ask", {"question": QUESTION})
            return [q["strength_label"] for q in result.structured_content["quotes"]]
    assert anyio.run(mcp) == labels


def test_a_quote_without_a_label_is_labelled_by_the_settings_given():
    """An Answer from an Attest that did not send labels still renders."""
    document = Document(id="d", title="T", text="Alpha beta. Gamma delta.")
    bare = Answer(question="q", answered=True, quotes=[Quote.cite(document, 0, 11, 0.57)])
    assert bare.quotes[0].strength is None and "strong (0.57)" in as_text(bare)
    tight = Settings(strength_strong=0.9)
    assert labelled(bare, tight.answer).quotes[0].strength == "medium"
    assert "medium (0.57)" in as_text(labelled(bare, tight.answer))  # the label, not these defaults
    declined = Answer(question="q", answered=False, lead=NO_ANSWER, related=bare.quotes)
    assert labelled(declined, tight.answer) == declined
