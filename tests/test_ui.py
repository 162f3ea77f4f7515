"""The Streamlit UI through AppTest, against the real API on 127.0.0.1 (real engine)."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from rag.render import escape_markdown
from rag.types import NO_ANSWER, RELATED_HEADING
from tests.conftest import TOKEN, running
from tests.test_scope import LIBRARY_PAGE

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
HOSTILE = ("The toll was *five* pence, $x$ for others, and the clerk used 2*3*4 as a code "
           "with `ticks`, [a](b), <script>alert(1)</script> and # marks.\n")


def start(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("RAG_API_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def app(server, monkeypatch):
    return start(server, monkeypatch)


def htmls(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_question_renders_quote_strength_source_and_highlighted_context(app, engine):
    question = "How much did the Riverside library renovation cost?"
    expected = engine.ask(question, max_quotes=3)
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    bodies = "\n".join(htmls(app))
    for n, quote in enumerate(expected.quotes, start=1):
        assert f"overflow-wrap:anywhere'>{html.escape(quote.text)}</span> <b>[{n}]</b>" in bodies
    assert "data-strength=" in bodies and "Riverside library reopens after a two-year renovation" in bodies
    context = [b for b in htmls(app) if "<mark" in b][0]
    assert "roughly 4.2 million euros" in context.split("<mark")[1].split("</mark>")[0]
    assert app.sidebar.metric[0].value == "4"
    assert not app.markdown or all("roughly 4.2" not in m.value for m in app.markdown)  # never as Markdown


def test_decline_is_collapsed_unnumbered_and_worded_once(app, engine):
    question = "What was the price of petrol in London in 1974?"
    expected = engine.ask(question)
    assert not expected.answered
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    assert app.warning[0].value == NO_ANSWER
    related = [b for b in htmls(app) if "attest-related" in b]
    assert len(related) == len(expected.related)
    for body in related:
        assert "not an answer" in body and "[1]" not in body and "<blockquote" not in body
    if expected.related:
        assert app.expander[0].label.startswith(RELATED_HEADING) and not app.expander[0].proto.expanded


def test_unrelated_passages_are_not_shown(app, engine):
    question = "Who won the 2018 FIFA World Cup?"
    expected = engine.ask(question)
    assert not expected.answered
    assert all(q.score >= engine.settings.answer.related_above for q in expected.related)
    app.chat_input[0].set_value(question).run()
    assert len([b for b in htmls(app) if "attest-related" in b]) == len(expected.related)


def test_api_down_is_a_message_not_a_traceback(monkeypatch):
    at = start("http://127.0.0.1:9", monkeypatch)
    assert any("not reachable" in e.value for e in at.error)
    # a server's message is shown as its text, never as Markdown (an id like ![](url) loads nothing);
    # the API's address as code: escaped, its port's colon showed as "\:" in Streamlit's link
    assert any("`http://127.0.0.1:9`" in e.value and "\\" not in e.value for e in at.error)
    at = start("http://127.0.0.1:9/*x*", monkeypatch)
    assert any("`http://127.0.0.1:9/*x*`" in e.value for e in at.error)


def test_navigation_names_the_pages(app):
    # the sidebar navigation is built from st.Page titles: the chat is "Ask", not "app"
    source = Path(APP).read_text()
    assert 'title="Ask"' in source and ":material/" in source
    assert "🗑" not in Path(APP).with_name("ask.py").read_text()
    (quotes,) = app.slider
    assert (quotes.label, quotes.min, quotes.max, quotes.value) == ("Maximum quotes", 1, 10, 3)  # the API's 1-10


@pytest.fixture
def writable(tmp_path, corpus_dir):
    """Its own engine and server: these tests write (upload, delete)."""
    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32", decline_below=0.0))
    engine.ingest_files([("hostile.md", ("---\ntitle: Toll records\n---\n" + HOSTILE).encode()),
                         ("crane.txt", b"Harbour notes\n\nThe harbour crane lifts forty tonnes.\n")])
    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN)
    with running(create_app(settings, engine=engine)) as base:
        yield base, engine


def test_hostile_quote_is_shown_exactly_as_stored(writable, monkeypatch):
    base, engine = writable
    at = start(base, monkeypatch)
    at.chat_input[0].set_value("What code did the clerk use?").run()
    answer = engine.ask("What code did the clerk use?")
    assert answer.answered
    bodies = "\n".join(htmls(at))
    assert html.escape(answer.quotes[0].text) in bodies and "2*3*4" in answer.quotes[0].text  # Markdown-special, stored as written


def test_a_transcripts_source_line_says_when_the_quote_is_spoken(tmp_path, monkeypatch):
    """The time in the recording sits on the quote's source line, beside its offsets."""
    from tests.test_transcript_times import CRANE, SRT

    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32"))
    engine.ingest_files([("interviews/crane.srt", SRT.encode())])
    quote = engine.ask(CRANE).quotes[0]
    with running(create_app(Settings(data_dir=engine.settings.data_dir), engine=engine)) as base:
        at = start(base, monkeypatch)
        at.chat_input[0].set_value(CRANE).run()
    assert not at.exception
    line = [b for b in htmls(at) if "attest-answer-quote" in b][0].rsplit("</blockquote>", 1)[1]
    assert ("<span class='attest-time'>at 01:02:06.500–01:02:11.250</span> · "
            f"<code><bdi>interviews/crane.srt</bdi></code> chars {quote.start}–{quote.end}") in line


def test_delete_refreshes_count_list_and_confirm(writable, monkeypatch):
    base, engine = writable
    at = start(base, monkeypatch)
    at.sidebar.text_input(key="token").set_value(TOKEN).run()
    assert at.sidebar.metric[0].value == "2"
    at.sidebar.button(key="del-crane.txt").click().run()
    at.sidebar.button(key="confirm").click().run()
    assert not at.exception
    assert at.sidebar.metric[0].value == "1"
    assert not [b for b in at.sidebar.button if b.key in {"confirm", "del-crane.txt"}]
    assert any(escape_markdown("Deleted crane.txt") in s.value for s in at.sidebar.success)  # shown as typed
    assert engine.document("crane.txt") is None


def test_cited_documents_are_fetched_once_per_version(server, monkeypatch):
    """Reruns revalidate with the ETag (304, no body) instead of fetching the text again."""
    calls = []
    real = httpx.request

    def counting(method, url, **kwargs):
        response = real(method, url, **kwargs)
        if "/v1/documents/" in url:
            calls.append(response.status_code)
        return response

    monkeypatch.setattr(httpx, "request", counting)
    at = start(server, monkeypatch)
    for _ in range(3):
        at.chat_input[0].set_value("How much did the Riverside library renovation cost?").run()
        assert not at.exception
    # one document: its text crossed the wire at most once (an earlier test in this process
    # may have fetched it already), every other look was a 304 revalidation
    assert calls.count(200) <= 1 and calls.count(304) >= 2


def test_document_etag_is_the_content_hash(server, engine):
    first = httpx.get(f"{server}/v1/documents/fixtures/riverside-library")
    etag = first.headers["etag"]
    assert etag == f'"{engine.document("fixtures/riverside-library").content_hash}"'
    again = httpx.get(f"{server}/v1/documents/fixtures/riverside-library", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    for header in (f"W/{etag}", f'"other", {etag}', "*"):  # weak, listed, any: as RFC 9110 compares
        assert httpx.get(f"{server}/v1/documents/fixtures/riverside-library",
                         headers={"If-None-Match": header}).status_code == 304, header
    assert httpx.get(f"{server}/v1/documents/fixtures/riverside-library",
                     headers={"If-None-Match": '"other"'}).status_code == 200


def test_make_run_fails_fast_on_a_busy_port(tmp_path):
    """scripts/run.sh (make run) refuses to start anything when a port is taken, and says so."""
    import socket
    import subprocess
    import sys

    bin_dir = str(Path(sys.executable).parent)
    script = Path(APP).parent.parent / "scripts" / "run.sh"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for api_port, ui_port in ((port, port + 1), (port + 1, port)):
            done = subprocess.run(["sh", str(script), bin_dir, "127.0.0.1", str(api_port), str(ui_port)],
                                  capture_output=True, text=True, timeout=60, cwd=tmp_path)
            assert done.returncode == 1
            assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
            assert "API_PORT=" in done.stderr and "Waiting" not in done.stdout


def test_document_ids_are_encoded_in_api_paths(server):
    from rag.api import client

    assert client.document_path("uploads/a#b?c%d.txt") == "/v1/documents/uploads/a%23b%3Fc%25d.txt"
    assert client.request(server, "GET", client.document_path("fixtures/riverside-library")).status_code == 200


def test_an_upload_says_what_was_skipped_and_why():
    """Records a JSONL upload skipped are said, not hidden behind "ingested" (or "None")."""
    from rag.api.client import upload_message

    partial = {"ok": True, "documents": ["a"], "skipped": ["u/a.jsonl:2: not valid JSON (x); skipped"]}
    assert upload_message("u/a.jsonl", partial) == (
        "warning", "u/a.jsonl: ingested 1 document, skipped 1: u/a.jsonl:2: not valid JSON (x)")
    clash = {"ok": False, "documents": [], "skipped": ["u/c.jsonl:1 (id 'a'): in use by b.txt; skipped"]}
    assert upload_message("u/c.jsonl", clash) == ("error", "u/c.jsonl: not ingested (u/c.jsonl:1 (id 'a'): in use by b.txt)")
    assert upload_message("u/b.txt", {"ok": False, "error": "u/b.txt: over the upload limit"}) == (
        "error", "u/b.txt: not ingested (over the upload limit)")
    assert upload_message("u/d.txt", {"ok": True, "documents": ["u/d.txt"]}) == ("success", "u/d.txt: ingested")


def test_a_slow_api_is_not_called_down(monkeypatch):
    """A request that times out reached the API: the message must not send the user to start it."""
    import httpx

    from rag.api import client

    def slow(*args, **kwargs):
        raise httpx.ReadTimeout("timed out")
    monkeypatch.setattr(httpx, "request", slow)  # a fake: a real 60-s wait has no place in a test
    with pytest.raises(client.ApiError, match="did not answer within 60 s; it may still be working"):
        client.request("http://127.0.0.1:1", "POST", "/v1/documents")


def test_a_long_conversation_sends_only_recent_turns_and_retry_asks_again(server, monkeypatch):
    """After 25 questions the whole history would pass the API's 50 turns and every later
    question would fail; only the last MAX_TURNS are sent (4 here, the UI's copy patched). A
    failed question is asked again by Retry, not thrown away."""
    from rag.api import schemas

    monkeypatch.setattr(schemas, "MAX_TURNS", 4)  # the API's own bound was fixed when it started: 50
    sent, fail = [], [True]
    real = httpx.request

    def watching(method, url, **kwargs):
        if url.endswith("/v1/ask"):
            if fail[0]:
                fail[0] = False
                raise httpx.ConnectError("API down")
            sent.append(len(kwargs["json"]["history"]))
        return real(method, url, **kwargs)

    monkeypatch.setattr(httpx, "request", watching)
    at = start(server, monkeypatch)
    at.chat_input[0].set_value("How much did the Riverside library renovation cost?").run()
    assert any("not reachable" in e.value for e in at.error) and not sent
    next(b for b in at.button if b.label == "Retry").click().run()
    assert sent == [0] and not at.error  # the same question, asked again
    for n in range(4):
        at.chat_input[0].set_value(f"What code did the clerk use ({n})?").run()
        assert not at.exception
    assert sent == [0, 2, 4, 4, 4]


def test_a_follow_up_shows_how_it_was_read(app):
    app.chat_input[0].set_value("How much did the Riverside library renovation cost?").run()
    assert not [c for c in app.caption if "Read with the conversation as" in c.value]  # a question on its own
    app.chat_input[0].set_value("When did it reopen?").run()
    assert not app.exception
    read_as = [c.value for c in app.caption if "Read with the conversation as" in c.value]
    assert len(read_as) == 1 and "Riverside" in read_as[0], read_as


def test_ask_only_in_keeps_answers_to_the_chosen_documents(app, engine):
    """The sidebar's "Ask only in" lists the documents and their folders; the API gets the choice."""
    question = "How much did the Riverside library renovation cost?"
    (choice,) = [m for m in app.sidebar.multiselect if m.label == "Ask only in"]
    assert {"wikipedia/ (every document in it)", "fixtures/ (every document in it)", "wikipedia/normans",
            LIBRARY_PAGE} <= set(choice.options)
    assert choice.value == []
    choice.set_value(["wikipedia/"]).run()
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    assert app.warning[0].value == NO_ANSWER  # the cost is said only outside wikipedia/
    assert "Asked only in: " + escape_markdown("wikipedia/") in [c.value for c in app.caption]
    app.sidebar.multiselect(key="ask-only-in").set_value([LIBRARY_PAGE]).run()
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    expected = engine.ask(question, max_quotes=3, documents=[LIBRARY_PAGE])
    assert html.escape(expected.quotes[0].text) in "\n".join(htmls(app))
    assert [c.value for c in app.caption if c.value.startswith("Asked only in")] == [  # each answer keeps its own
        "Asked only in: " + escape_markdown("wikipedia/"), "Asked only in: " + escape_markdown(LIBRARY_PAGE)]


def test_a_chosen_document_survives_the_filter_and_leaves_with_its_delete(writable, monkeypatch):
    base, _ = writable
    at = start(base, monkeypatch)
    at.sidebar.text_input(key="token").set_value(TOKEN).run()
    at.sidebar.multiselect(key="ask-only-in").set_value(["crane.txt"]).run()
    at.sidebar.text_input(key="doc-filter").set_value("nothing holds this").run()
    assert at.sidebar.multiselect(key="ask-only-in").value == ["crane.txt"]  # hidden by the filter, still chosen
    at.sidebar.text_input(key="doc-filter").set_value("").run()
    at.sidebar.button(key="del-crane.txt").click().run()
    at.sidebar.button(key="confirm").click().run()
    assert not at.exception
    assert at.sidebar.multiselect(key="ask-only-in").value == []
    assert "crane.txt" not in at.sidebar.multiselect(key="ask-only-in").options
