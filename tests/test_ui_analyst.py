"""The Ask page over an analyst's session (AppTest, real API on 127.0.0.1, real engine): the
conversation comes back after a reload and a new one can be started, each quote's citation is
one text to copy, an upload refused for its token keeps its files and says where a token goes, and
"Tell me more" after "Tell me more" keeps its topic."""

from __future__ import annotations

import html

import httpx
from streamlit.testing.v1 import AppTest

from rag.render import citation, escape_markdown
from tests.conftest import TOKEN
from tests.test_scope import LIBRARY_PAGE
from tests.test_ui import APP, start, writable  # noqa: F401  (a fixture)

QUESTION = "How much did the Riverside library renovation cost?"
FOLLOW_UP = "When did it reopen?"


def reload(url: str, at: AppTest, monkeypatch) -> AppTest:
    """A new session at the address the browser shows: what a reload does."""
    monkeypatch.setenv("RAG_API_URL", url)
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params.update(at.query_params)
    again.run()
    assert not again.exception
    return again


def user_turns(at: AppTest) -> list[str]:
    return [m.children[0].value for m in at.chat_message if m.name == "user"]


def test_a_reload_keeps_the_conversation_its_choices_and_its_follow_ups(server, monkeypatch):
    at = start(server, monkeypatch)
    assert "c" not in at.query_params  # no conversation yet, no id
    at.sidebar.multiselect(key="ask-only-in").set_value([LIBRARY_PAGE]).run()
    at.sidebar.slider[0].set_value(2).run()
    at.chat_input[0].set_value(QUESTION).run()
    conversation = at.query_params["c"]
    assert len(conversation) >= 20
    again = reload(server, at, monkeypatch)
    assert user_turns(again) == [QUESTION] and again.get("html")  # its quotes drawn again
    # asked as before: a follow-up in the whole corpus, unnoticed, had been the reload's doing
    assert again.sidebar.multiselect(key="ask-only-in").value == [LIBRARY_PAGE] and again.sidebar.slider[0].value == 2
    again.chat_input[0].set_value(FOLLOW_UP).run()  # read with the turns held before the reload
    assert not again.exception
    assert any("Read with the conversation as" in c.value and "Riverside" in c.value for c in again.caption)
    assert [c.value for c in again.caption if c.value.startswith("Asked only in")] == [
        "Asked only in: " + escape_markdown(LIBRARY_PAGE)] * 2
    assert again.query_params["c"] == conversation


def test_new_conversation_starts_empty_and_the_old_one_keeps_its_address(server, monkeypatch):
    at = start(server, monkeypatch)
    at.chat_input[0].set_value(QUESTION).run()
    first = dict(at.query_params)
    at.button(key="new-conversation").click().run()
    assert not at.exception and not at.chat_message and "c" not in at.query_params
    assert not [b for b in at.button if b.key == "new-conversation"]  # nothing to leave yet
    at.chat_input[0].set_value("Who was Rollo?").run()
    assert at.query_params["c"] != first["c"]
    assert user_turns(reload(server, at, monkeypatch)) == ["Who was Rollo?"]
    at.query_params.update(first)  # the browser's Back: the same session, the address of the one before
    at.run()
    assert user_turns(at) == [QUESTION]


def test_an_address_naming_no_held_conversation_says_so(server, monkeypatch):
    monkeypatch.setenv("RAG_API_URL", server)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["c"] = "not-a-conversation"
    at.run()
    assert not at.exception and not at.chat_message and "c" not in at.query_params
    assert any("no longer held by this UI server" in i.value for i in at.info)


def test_a_quotes_citation_is_one_text_to_copy_with_the_stored_slice(server, engine, monkeypatch):
    at = start(server, monkeypatch)
    answer = engine.ask(QUESTION, max_quotes=3)
    at.chat_input[0].set_value(QUESTION).run()
    assert not at.exception
    codes = [c.value for c in at.code]
    assert codes == [f"“{q.text}” — {citation(q)}" for q in answer.quotes]
    assert all(c.language in (None, "", "plaintext", "text") for c in at.code)  # shown as text, never highlighted


def test_an_upload_refused_for_its_token_keeps_its_files_and_says_where_a_token_goes(writable, monkeypatch):  # noqa: F811
    base, engine = writable
    at = start(base, monkeypatch)
    at.sidebar.text_input(key="token").set_value("not-the-token").run()
    at.sidebar.file_uploader[0].set_value(("lamp.txt", b"Lamp log\n\nThe keeper trimmed the wick at dawn.\n", "text/plain")).run()
    next(b for b in at.sidebar.button if b.label == "Ingest uploads").click().run()
    assert not at.exception and engine.document("uploads/lamp.txt") is None
    (error,) = at.sidebar.error
    assert "403" in error.value and escape_markdown("into “API token” above") in error.value
    assert next(b for b in at.sidebar.button if b.label == "Ingest uploads")  # the file is still chosen
    at.sidebar.text_input(key="token").set_value(TOKEN).run()
    next(b for b in at.sidebar.button if b.label == "Ingest uploads").click().run()
    assert not at.exception and engine.document("uploads/lamp.txt") is not None
    assert not [b for b in at.sidebar.button if b.label == "Ingest uploads"]  # ingested: the uploader is emptied
    assert any("uploads/lamp.txt: ingested" in s.value for s in at.sidebar.success)


def test_a_fourth_tell_me_more_in_a_row_keeps_its_topic(server, monkeypatch):
    """The UI sent only the last three exchanges: a fourth "Tell me more" had lost the question
    it followed and declined, where `rag chat` and the API, given the conversation, answer."""
    at = start(server, monkeypatch)
    history = []
    for question in ["Who were the Normans?"] + ["Tell me more"] * 4:
        expected = httpx.post(f"{server}/v1/ask", json={"question": question, "history": history}, timeout=180).json()
        at.chat_input[0].set_value(question).run()
        assert not at.exception
        history += [{"role": "user", "content": question},
                    {"role": "assistant", "content": "\n".join(q["text"] for q in expected["quotes"]),
                     "citations": expected["quotes"]}]
    assert expected["answered"] and "Normans" in expected["query"]
    last = [m for m in at.chat_message if m.name == "assistant"][-1]
    shown = "\n".join(h.proto.body for h in last.get("html"))
    assert all(html.escape(q["text"]) in shown for q in expected["quotes"])
