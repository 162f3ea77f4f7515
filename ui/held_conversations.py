"""Conversations that outlive a reload: the Ask page's turns, held by this UI server under a
random id that the page's address carries (?c=ID).

A reload (or a browser tab restored) starts a new Streamlit session, which had lost every
answer on screen. What is held is the turns the page shows and the choices a next question is
asked with (its scope, its number of quotes), never the API token. Only the
KEPT most recently used are held, in this process's memory: a restarted UI server holds none,
and the page says so rather than silently starting afresh. Anyone holding the address can
read the conversation on this server, as with any unguessable link.
"""

from __future__ import annotations

import secrets

import streamlit as st

from rag.api.client import DocumentCache

KEPT = 200  # conversations held; the least recently used goes first
PARAM = "c"  # the query parameter naming the conversation
GONE = ("That conversation is no longer held by this UI server (it keeps the last {kept}, in memory, "
        "until it restarts); this is a new one.")


@st.cache_resource
def held() -> DocumentCache:
    """Turn lists by conversation id, shared by every session of this server; the same
    bounded, thread-safe store as the documents' (an id for a document id, no ETag)."""
    return DocumentCache(size=KEPT)


def turns() -> list[dict]:
    """This session's turns; on a session's first run, or when the address names another
    conversation (back and forward), those of the one it names. A conversation gets an id, and
    the address, once it has a turn to keep."""
    named = st.query_params.get(PARAM)
    first = "history" not in st.session_state
    if first or (named and named != st.session_state.conversation):
        found = held().get(named) if named else None
        if named and found is None:
            st.info(GONE.format(kept=KEPT), icon=":material/history:")
            del st.query_params[PARAM]
        st.session_state.conversation = named if found else None
        st.session_state.history = found[1]["turns"] if found else []
        if found and first:  # set before its widgets are first drawn, they show them; later, they keep theirs
            st.session_state.update(found[1]["choices"])
    if st.session_state.conversation:  # the Eval page's address has no ?c=: put it back
        st.query_params[PARAM] = st.session_state.conversation
    return st.session_state.history


def keep(choices: dict) -> None:
    """Hold this session's turns and the `choices` (session state) the last was asked with under
    its id (made now for a first turn), and name it in the address."""
    if not st.session_state.get("conversation"):
        st.session_state.conversation = secrets.token_urlsafe(16)  # 128 bits: not guessable
    held().put(st.session_state.conversation, "", {"turns": st.session_state.history, "choices": choices})
    st.query_params[PARAM] = st.session_state.conversation


def start_new() -> None:
    """A new, empty conversation; the one before stays held under its own address."""
    st.session_state.history = []
    st.session_state.conversation = None
    st.session_state.pop("retry", None)
    st.query_params.pop(PARAM, None)
