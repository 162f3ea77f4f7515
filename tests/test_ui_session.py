"""The UI as an analyst uses it over a session (AppTest, real API on 127.0.0.1): an address
that is not the API, the API going away and coming back, and a corpus longer than the
sidebar's list."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from streamlit.testing.v1 import AppTest

from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from rag.render import escape_markdown
from tests.conftest import running
from tests.test_ui import start

PAGES = Path(__file__).resolve().parent.parent / "ui"
DEAD = "http://127.0.0.1:9"
NOT_API = escape_markdown("not the Attest API's JSON")  # messages are shown as typed


def test_an_address_that_is_not_the_api_is_a_message_on_both_pages(monkeypatch):
    """RAG_API_URL naming the UI (or any web page) gave a JSONDecodeError traceback."""
    async def page(request):
        return HTMLResponse("<!doctype html><title>Streamlit</title>")
    with running(Starlette(routes=[Route("/{path:path}", page)])) as base:
        at = start(base, monkeypatch)
        assert any(NOT_API in e.value and escape_markdown("RAG_API_URL") in e.value for e in at.error)
        eval_page = AppTest.from_file(str(PAGES / "pages" / "1_Eval.py"), default_timeout=60)
        eval_page.run()
        assert not eval_page.exception
        assert any(NOT_API in e.value for e in eval_page.error)


def test_the_api_going_away_is_tried_once_per_run_and_the_page_recovers(server, monkeypatch):
    """With the API gone, each cited document of the conversation used to be fetched again,
    each waiting its own timeout; now the first failure of a run stands for the rest."""
    at = start(server, monkeypatch)
    for question in ("How much did the Riverside library renovation cost?", "Who was Rollo?"):
        at.chat_input[0].set_value(question).run()
        assert not at.exception
    sources = [e for e in at.expander if e.label == "Show in its source"]
    assert len(sources) >= 2

    calls = []
    real = httpx.request

    def counting(method, url, **kwargs):
        calls.append(url)
        return real(method, url, **kwargs)
    monkeypatch.setattr(httpx, "request", counting)
    monkeypatch.setenv("RAG_API_URL", DEAD)
    at.run()
    assert not at.exception and len(calls) == 1, calls
    assert any("not reachable" in e.value for e in at.error)
    assert len([h for h in at.get("html") if "attest-answer-quote" in h.proto.body]) == len(sources)  # still shown

    monkeypatch.setenv("RAG_API_URL", server)
    at.run()  # the next run tries again
    assert not at.exception and not at.error
    assert not [w for w in at.warning if "not reachable" in w.value]


def test_a_corpus_longer_than_the_list_says_how_many_are_not_shown(tmp_path, monkeypatch):
    """The sidebar lists 100 documents; the 101st and on were left out without a word."""
    import json

    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32"))
    lines = [json.dumps({"id": f"note-{n:03d}", "title": f"Note {n}", "text": f"Shelf {n} holds maps."})
             for n in range(105)]
    assert len(engine.ingest_files([("notes.jsonl", "\n".join(lines).encode())]).added) == 105
    with running(create_app(Settings(data_dir=engine.settings.data_dir), engine=engine)) as base:
        at = start(base, monkeypatch)
        assert any(c.value.startswith("Showing 100 of 105 documents;") for c in at.sidebar.caption)
        at.sidebar.text_input(key="doc-filter").set_value("note-104").run()
        assert not any(c.value.startswith("Showing") for c in at.sidebar.caption)
        assert [b.key for b in at.sidebar.button if (b.key or "").startswith("del-")] == ["del-note-104"]
        at.sidebar.text_input(key="doc-filter").set_value("no such note").run()
        assert any("No document" in c.value for c in at.sidebar.caption)


def test_the_source_cache_keeps_only_the_most_recently_used_documents():
    """The UI's document cache is shared by every session of a long-running server: it held
    every document anyone opened, for good."""
    from rag.api.client import DocumentCache

    cache = DocumentCache(size=2)
    cache.put("a", '"1"', {"text": "A"})
    cache.put("b", '"2"', {"text": "B"})
    assert cache.get("a") == ('"1"', {"text": "A"})  # a is now the most recently used
    cache.put("c", '"3"', {"text": "C"})
    assert len(cache) == 2 and cache.get("b") is None and cache.get("a") and cache.get("c")


def test_delete_is_confirmed_under_its_own_row(server, monkeypatch):
    """The question used to sit at the foot of the list, far from the row pressed and, for a
    keyboard, past every other delete button; pressing a second row asks about that one only."""
    at = start(server, monkeypatch)
    rows = [b.key for b in at.sidebar.button if (b.key or "").startswith("del-")]
    assert len(rows) >= 3
    for pressed in (rows[0], rows[1]):
        at.sidebar.button(key=pressed).click().run()
        assert not at.exception
        order = [getattr(e, "key", None) or getattr(e, "value", None) for e in at.sidebar
                 if e.type in ("button", "alert") or type(e).__name__ in ("Warning", "Button")]
        warnings = [w.value for w in at.sidebar.warning]
        assert warnings == [f"Delete {escape_markdown(pressed.removeprefix('del-'))}?"]
        after = order.index(pressed)
        assert order[after + 1] == warnings[0], order  # right under the row pressed
    at.sidebar.button(key="cancel-delete").click().run()
    assert not at.sidebar.warning
