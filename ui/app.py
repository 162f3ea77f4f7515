"""Attest chat UI (Streamlit). It talks only to the HTTP API (RAG_API_URL) and holds no index.

Every answer is shown as block quotes with [n] markers, a source card per quote and an
expander with the quote highlighted in its document at its exact offsets.
"""

from __future__ import annotations

import html
import os

import httpx
import streamlit as st

API_URL = os.environ.get("RAG_API_URL", "http://127.0.0.1:8000").rstrip("/")
CONTEXT_CHARS = 600

st.set_page_config(page_title="Attest", page_icon="❝", layout="wide")


class ApiError(Exception):
    pass


def api(method: str, path: str, **kwargs):
    headers = kwargs.pop("headers", {})
    if st.session_state.get("token"):
        headers["Authorization"] = f"Bearer {st.session_state.token}"
    try:
        response = httpx.request(method, f"{API_URL}{path}", headers=headers, timeout=60, **kwargs)
    except httpx.TransportError:
        raise ApiError(f"The Attest API at {API_URL} is not reachable. Is `rag serve` running?") from None
    if response.status_code >= 400:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text
        raise ApiError(f"The API answered {response.status_code}: {message}")
    return response.json()


def highlighted_context(quote: dict) -> str:
    document = api("GET", f"/v1/documents/{quote['document_id']}")
    text, start, end = document["text"], quote["start"], quote["end"]
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return ("…" if left else "") + html.escape(text[left:start]) + "<mark>" + html.escape(text[start:end]) + \
        "</mark>" + html.escape(text[end:right]) + ("…" if right < len(text) else "")


def source_card(n: int, quote: dict) -> None:
    source = quote.get("source") or ""
    link = f"[{source}]({source})" if source.startswith(("http://", "https://")) else source
    details = [f"**[{n}] {quote['title'] or quote['document_id']}**"]
    if link:
        details.append(link)
    if quote.get("date"):
        details.append(quote["date"])
    if quote.get("page") is not None:
        details.append(f"page {quote['page']}")
    details.append(f"`{quote['document_id']}` chars {quote['start']}–{quote['end']}")
    st.caption(" · ".join(details))


def show_quotes(quotes: list[dict], key: str) -> None:
    for n, quote in enumerate(quotes, start=1):
        st.markdown("\n".join(f"> {line}" for line in quote["text"].split("\n")) + f" **[{n}]**")
        source_card(n, quote)
        with st.expander(f"Show [{n}] in its source"):
            try:
                st.markdown(f"<div class='context'>{highlighted_context(quote)}</div>", unsafe_allow_html=True)
            except ApiError as err:
                st.warning(str(err))


def show_answer(answer: dict, key: str) -> None:
    if answer["answered"]:
        show_quotes(answer["quotes"], key)
        return
    st.warning(answer.get("lead") or "The corpus does not answer this.", icon="🚫")
    if answer.get("related"):
        st.markdown("**Closest passages (related, not an answer):**")
        show_quotes(answer["related"], key + "-related")


def sidebar() -> None:
    with st.sidebar:
        st.header("Attest")
        st.session_state.max_quotes = st.slider("Maximum quotes", 1, 5, st.session_state.get("max_quotes", 3))
        st.text_input("API token (for upload and delete)", type="password", key="token")
        try:
            stats = api("GET", "/v1/stats")
        except ApiError as err:
            st.error(str(err))
            st.button("Retry", key="retry-stats")
            return
        st.metric("Documents", stats["documents"])
        st.caption(f"{stats['chunks']} chunks · {stats['model']} · vectors: {stats['vector_store']}")
        st.subheader("Documents")
        query = st.text_input("Filter", key="doc-filter")
        listing = api("GET", "/v1/documents", params={"q": query, "limit": 100})
        for doc in listing["documents"]:
            cols = st.columns([5, 1])
            cols[0].caption(f"{doc['title']}  \n`{doc['id']}`")
            if cols[1].button("🗑", key=f"del-{doc['id']}", help="Delete this document"):
                st.session_state.confirm_delete = doc["id"]
        if st.session_state.get("confirm_delete"):
            doc_id = st.session_state.confirm_delete
            st.warning(f"Delete `{doc_id}`?")
            if st.button("Yes, delete", key="confirm"):
                try:
                    api("DELETE", f"/v1/documents/{doc_id}")
                    st.success(f"Deleted {doc_id}")
                except ApiError as err:
                    st.error(str(err))
                st.session_state.confirm_delete = None
        st.subheader("Upload")
        files = st.file_uploader("Add documents", accept_multiple_files=True,
                                 type=["txt", "md", "html", "htm", "pdf", "jsonl", "docx", "pptx", "epub"])
        if files and st.button("Ingest uploads"):
            with st.spinner("Ingesting…"):
                try:
                    result = api("POST", "/v1/documents",
                                 files=[("files", (f.name, f.getvalue())) for f in files])
                    for name, outcome in result["files"].items():
                        (st.success if outcome["ok"] else st.error)(
                            f"{name}: {'ingested' if outcome['ok'] else outcome['error']}")
                except ApiError as err:
                    st.error(str(err))


def chat() -> None:
    st.title("Ask the corpus")
    st.caption("Every answer is verbatim quotes from the documents, each with its source, or a plain decline.")
    history = st.session_state.setdefault("history", [])
    for i, turn in enumerate(history):
        with st.chat_message(turn["role"]):
            if turn["role"] == "user":
                st.markdown(turn["content"])
            else:
                show_answer(turn["answer"], key=f"turn-{i}")
    question = st.chat_input("Ask a question")
    if not question:
        return
    with st.chat_message("user"):
        st.markdown(question)
    past = [{"role": t["role"], "content": t["content"],
             "citations": t["answer"]["quotes"] if t["role"] == "assistant" else []} for t in history]
    with st.chat_message("assistant"):
        try:
            answer = api("POST", "/v1/ask", json={"question": question, "history": past,
                                                  "max_quotes": st.session_state.get("max_quotes", 3)})
        except ApiError as err:
            st.error(str(err))
            st.button("Retry")
            return
        show_answer(answer, key=f"turn-{len(history) + 1}")
    history.append({"role": "user", "content": question})
    history.append({"role": "assistant", "answer": answer,
                    "content": "\n".join(q["text"] for q in answer["quotes"])})


st.markdown("<style>mark{background:#ffe08a;padding:0 2px}.context{line-height:1.6}</style>",
            unsafe_allow_html=True)
sidebar()
chat()
