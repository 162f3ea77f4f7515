"""The Ask page: questions in, verbatim quotes or a decline out, through the HTTP API only.

Quotes and the source view are shown as text (HTML-escaped, whitespace kept; rag/render.py),
never as Markdown, so what a person sees is the stored slice. Each quote shows its strength;
a decline shows the fixed wording and, collapsed and unnumbered, only related passages.
After every write (upload, delete) the page reruns, so the list and count are fresh (a failed
upload keeps its files chosen); a conversation outlives a reload (ui/held_conversations.py).
Documents for the source view are cached by id and the API's ETag (the content hash).
"""

from __future__ import annotations

import html
import math
import os

import httpx
import streamlit as st

import held_conversations as conversations  # not "conversations": eval/ has a module so named
from rag.api import client
from rag.api.client import ApiError, Unreachable
from rag.api import schemas
from rag.config import Settings
from rag.ingest.load import SUFFIXES
from rag.render import citation, context_html, escape_markdown, one_line, quote_html, read_as, related_html
from rag.types import NO_ANSWER, RELATED_HEADING, Answer, Quote

API_URL = os.environ.get("RAG_API_URL", "http://127.0.0.1:8000").rstrip("/")
# metadata length and question limit; each quote's strength label comes from the API's engine
SETTINGS = Settings()
LISTED = 100  # documents in the sidebar at once; the filter reaches the others
SCOPE, SCOPE_WIDGET = "ask_only_in", "ask-only-in"  # the chosen documents, and the multiselect's own key
UPLOAD_TYPES = sorted(suffix.lstrip(".") for suffix in SUFFIXES)  # what the API ingests, no more
# The uploader's own limit (Streamlit's MB are MiB), rounded up from the API's: its 200 MB default
# told people a 50 MB file could go in. Read from this process's RAG_* settings, as the question limit is.
UPLOAD_MB = max(1, math.ceil(SETTINGS.api.max_upload_bytes / 2**20))
TOKEN_HINT = "; type the API's token (RAG_API_TOKEN where it runs) into “API token” above and press again"


def request(method: str, path: str, **kwargs) -> httpx.Response:
    """One API call. Once the API is found unreachable in a page run, later calls of that run
    fail at once: every cited document of a long conversation would otherwise wait its own
    timeout (a minute each) before the page could show."""
    down = st.session_state.get("unreachable")
    if down:
        raise Unreachable(down)
    try:
        return client.request(API_URL, method, path, st.session_state.get("api_token", ""), **kwargs)
    except Unreachable as err:
        st.session_state.unreachable = str(err)
        raise


def api(method: str, path: str, **kwargs):
    return client.body(request(method, path, **kwargs))


@st.cache_resource
def documents() -> client.DocumentCache:
    """Fetched documents by id: (ETag, document), shared by every session of this server."""
    return client.DocumentCache()


def document(document_id: str) -> dict:
    """The document, fetched once per version: a cached copy is revalidated with its ETag
    (304, no body) once per page run, and refetched only when it changed."""
    checked = st.session_state.setdefault("checked", set())
    cache = documents()
    cached = cache.get(document_id)
    if cached and document_id in checked:
        return cached[1]
    headers = {"If-None-Match": cached[0]} if cached and cached[0] else {}
    response = request("GET", client.document_path(document_id), headers=headers)
    if response.status_code == 304 and cached:
        checked.add(document_id)
        return cached[1]
    body = client.body(response)
    cache.put(document_id, response.headers.get("etag", ""), body)
    checked.add(document_id)
    return body


def show_source(quote: Quote) -> None:
    with st.expander("Show in its source", icon=":material/article:"):
        try:
            text = document(quote.document_id)["text"]
        except ApiError as err:
            st.warning(escape_markdown(str(err), API_URL))
            return
        if text[quote.start:quote.end] != quote.text:
            st.warning("This document changed since this answer; its quote is no longer at these offsets.")
            return
        st.code(cited(quote), language=None, wrap_lines=True)
        st.html(context_html(text, quote.start, quote.end))


def cited(quote: Quote) -> str:
    """The quote as one text to copy into notes (st.code has the button): the stored slice, then its citation."""
    return f"“{quote.text}” — {citation(quote, SETTINGS)}"


def show_answer(answer: Answer) -> None:
    if said := read_as(answer):  # why a follow-up found what it found
        st.caption(escape_markdown(said))
    if answer.answered:
        for n, quote in enumerate(answer.quotes, start=1):
            st.html(quote_html(quote, n, SETTINGS))
            show_source(quote)
        return
    st.warning(NO_ANSWER, icon=":material/block:")
    if answer.related:
        with st.expander(f"{RELATED_HEADING} {len(answer.related)}", icon=":material/unfold_more:"):
            for quote in answer.related:
                st.html(related_html(quote, SETTINGS))


def show_scope(scope: list[str] | None) -> None:
    if scope:  # said with the answer: a decline within a scope is not one about the whole corpus
        st.caption(f"Asked only in: {escape_markdown(', '.join(scope))}")


def flash(kind: str, message: str, place: str = "top") -> None:
    """A message kept over the rerun after a write, at `place`: the top, or "upload" (by its button)."""
    if "answered 401" in message or "bearer token is not valid" in message:  # say where a token goes
        message += TOKEN_HINT
    st.session_state.setdefault(f"flash-{place}", []).append((kind, escape_markdown(message, API_URL)))


def show_flash(place: str) -> None:
    for kind, message in st.session_state.pop(f"flash-{place}", []):
        getattr(st, kind)(message)


def after_write(keep_files: bool = False) -> None:
    """Every write ends here: reset what depends on the corpus and rerun, so the sidebar's
    count and list are read again and the uploader is empty (unless its files are kept)."""
    st.session_state.checked = set()
    if not keep_files:
        st.session_state.uploader = st.session_state.get("uploader", 0) + 1
    st.session_state.confirm_delete = None
    st.rerun()


def confirm_delete(doc_id: str) -> None:
    """Asked right under the document's row: with a long list, a question at its foot was far
    from the button pressed, and a keyboard reached it only past every other delete button."""
    st.warning(f"Delete {escape_markdown(doc_id)}?")
    yes, no = st.columns(2)
    if no.button("Cancel", key="cancel-delete"):
        st.session_state.confirm_delete = None
        st.rerun()
    if yes.button("Yes, delete", key="confirm"):
        try:
            api("DELETE", client.document_path(doc_id))
            flash("success", f"Deleted {doc_id}")
            if doc_id in st.session_state.get(SCOPE, []):  # a deleted document is no scope to ask in
                st.session_state[SCOPE] = [n for n in st.session_state[SCOPE] if n != doc_id]
                st.session_state.pop(SCOPE_WIDGET, None)
        except ApiError as err:
            flash("error", str(err))
        after_write()


def prefixes(document_id: str) -> list[str]:
    """The folders a document id lies in, outermost first: 'a/b/c' is in 'a/' and 'a/b/'."""
    parts = document_id.split("/")[:-1]
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def ask_only_in(listed: list[str]) -> None:
    """The scope questions are asked in: listed documents and their folders. The choice lives
    under its own key (as the token does), so it outlives a visit to the Eval page and keeps
    names the document filter now hides."""
    chosen = st.session_state.get(SCOPE, [])
    options = list(dict.fromkeys([*chosen, *sorted({p for i in listed for p in prefixes(i)}), *listed]))
    st.multiselect("Ask only in", options, default=chosen, key=SCOPE_WIDGET, placeholder="Every document",
                   format_func=lambda name: f"{name} (every document in it)" if name.endswith("/") else name,
                   help="Answers quote only these documents; none chosen asks the whole corpus.",
                   on_change=lambda: st.session_state.update({SCOPE: st.session_state[SCOPE_WIDGET]}))


def sidebar() -> int | None:
    """The sidebar; returns how many documents the API holds (None when it could not say)."""
    with st.sidebar:
        st.header("Attest")
        show_flash("top")
        # the API's own bound: the UI offers what a REST client may ask for
        st.session_state.max_quotes = st.slider("Maximum quotes", 1, schemas.MOST_QUOTES,
                                                st.session_state.get("max_quotes", 3))
        # The typed token lives under its own key: Streamlit forgets a widget's state on a page
        # that does not draw it, and the token must outlive a visit to the Eval page.
        st.text_input("API token (for upload and delete)", type="password", key="token",
                      value=st.session_state.get("api_token", ""),
                      on_change=lambda: st.session_state.update(api_token=st.session_state.token))
        try:
            stats = api("GET", "/v1/stats")
            query = st.text_input("Filter documents", key="doc-filter")
            listing = api("GET", "/v1/documents", params={"q": query, "limit": LISTED})
        except ApiError as err:
            st.error(escape_markdown(str(err), API_URL))
            st.button("Retry", key="retry-stats")
            return None
        st.metric("Documents", stats["documents"])
        st.caption(f"{stats['chunks']} chunks · {stats['model']} · vectors: {stats['vector_store']}")
        ask_only_in([doc["id"] for doc in listing["documents"]])
        if listing["total"] > len(listing["documents"]):  # the rest exist: say so, and how to reach them
            st.caption(f"Showing {len(listing['documents'])} of {listing['total']} documents"
                       f"{' matching' if query else ''}; the filter above finds the others.")
        elif query and not listing["documents"]:
            st.caption("No document id or title holds that text.")
        for doc in listing["documents"]:
            cols = st.columns([5, 1])
            cols[0].html(f"<div style='font-size:0.85em'>{html.escape(one_line(doc['title'], 80))}<br>"
                         f"<code>{html.escape(doc['id'])}</code></div>")
            # a callback: it runs before the page does, so only the row pressed last asks
            cols[1].button(":material/delete:", key=f"del-{doc['id']}", help=f"Delete {doc['id']}",
                           on_click=st.session_state.update, kwargs={"confirm_delete": doc["id"]})
            if st.session_state.get("confirm_delete") == doc["id"]:
                confirm_delete(doc["id"])
        doc_id = st.session_state.get("confirm_delete")
        if doc_id and doc_id not in {doc["id"] for doc in listing["documents"]}:  # filtered out since
            confirm_delete(doc_id)
        st.subheader("Upload")
        files = st.file_uploader("Add documents", accept_multiple_files=True, type=UPLOAD_TYPES,
                                 max_upload_size=UPLOAD_MB, key=f"uploader-{st.session_state.get('uploader', 0)}")
        show_flash("upload")
        if files and st.button("Ingest uploads", icon=":material/upload:"):
            with st.spinner("Ingesting…"):
                failed = upload(files)
            after_write(keep_files=failed)
    return stats["documents"]


def upload(files: list) -> bool:
    """The chosen files, in as few requests as the API's upload limit allows; True if one failed."""
    def send(part: list[tuple[str, bytes]]) -> dict:
        return api("POST", "/v1/documents", timeout=client.INGEST_TIMEOUT, files=[("files", f) for f in part])

    said = client.upload(send, [(f.name, f.getvalue()) for f in files], SETTINGS.api.max_upload_bytes)
    for kind, message in said:
        flash(kind, message, place="upload")
    return any(kind == "error" for kind, _ in said)


def chat(documents: int | None, history: list[dict]) -> None:
    st.title("Ask the corpus")
    st.caption("Every answer is verbatim quotes from the documents, each with its source and strength, "
               "or a plain decline.")
    new = st.empty()  # filled last: a first answer has a conversation to leave in the same run
    if documents == 0:  # else every question declines, with nothing to say why
        st.info("The corpus is empty, so every question is declined. Add documents with Upload in the "
                "sidebar, or `rag ingest FOLDER` where the API runs.", icon=":material/inbox:")
    st.session_state.checked = set()  # revalidate cached documents once per run
    for turn in history:
        with st.chat_message(turn["role"]):
            if turn["role"] == "user":
                st.text(turn["content"])
            else:
                show_scope(turn.get("scope"))
                show_answer(Answer.model_validate(turn["answer"]))
    question = st.chat_input("Ask a question", max_chars=SETTINGS.answer.max_question_chars)
    question = question or st.session_state.pop("retry", None)  # Retry asks the failed question again
    if question and question.strip():  # else nothing asked: the API would refuse a blank question
        ask(question, history)
    if history:  # the one before stays held at its own address
        new.button("New conversation", icon=":material/add_comment:", key="new-conversation",
                   on_click=conversations.start_new)


def ask(question: str, history: list[dict]) -> None:
    with st.chat_message("user"):
        st.text(question)
    # As far back as the API takes (past MAX_TURNS every question failed), each turn within its
    # limit: the last three exchanges alone lost a fourth "Tell me more"'s topic; `rag chat` sends all.
    past = [{"role": t["role"], "content": t["content"][:SETTINGS.answer.max_question_chars],
             "citations": t["answer"]["quotes"] if t["role"] == "assistant" else []}
            for t in history[-schemas.MAX_TURNS:]]
    scope = st.session_state.get(SCOPE) or None
    with st.chat_message("assistant"):
        show_scope(scope)
        try:
            with st.spinner("Finding quotes…"):  # said where the answer will be, not only in the corner
                answer = Answer.model_validate(api("POST", "/v1/ask", json={
                    "question": question, "history": past, "max_quotes": st.session_state.get("max_quotes", 3),
                    "documents": scope}))
        except ApiError as err:
            st.error(escape_markdown(str(err), API_URL))
            st.button("Retry", on_click=lambda: st.session_state.update(retry=question))
            return
        show_answer(answer)
    history.append({"role": "user", "content": question})
    history.append({"role": "assistant", "answer": answer.model_dump(), "scope": scope,
                    "content": "\n".join(q.text for q in answer.quotes)})
    conversations.keep({SCOPE: scope or [], "max_quotes": st.session_state.get("max_quotes", 3)})


st.session_state.unreachable = None  # each run tries the API again (Retry, or any click)
history = conversations.turns()  # first: a conversation no longer held is said at the page's top
chat(sidebar(), history)
