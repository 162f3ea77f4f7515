"""The Streamlit UI through AppTest, against the real API on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture
def app(server, monkeypatch):
    monkeypatch.setenv("RAG_API_URL", server)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def rendered(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_question_renders_quote_citation_and_highlighted_context(app):
    app.chat_input[0].set_value("How much did the Riverside library renovation cost?").run()
    assert not app.exception
    text = rendered(app)
    assert "> " in text and "roughly 4.2 million euros" in text and "**[1]**" in text
    assert "Riverside library reopens after a two-year renovation" in text  # the source card
    marks = [m.value for m in app.markdown if "<mark>" in m.value]
    assert marks and "roughly 4.2 million euros" in marks[0].split("<mark>")[1].split("</mark>")[0]
    assert app.sidebar.metric[0].value == "4"


def test_decline_renders_as_a_decline(app):
    app.chat_input[0].set_value("Who won the 2018 FIFA World Cup?").run()
    assert not app.exception
    assert app.warning and "The corpus does not answer this." in app.warning[0].value
    assert "related, not an answer" in rendered(app)


def test_api_down_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("RAG_API_URL", "http://127.0.0.1:9")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("not reachable" in e.value for e in at.error)
