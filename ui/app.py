"""Attest UI (Streamlit): the Ask page and the Eval page, named in the navigation.

It talks only to the HTTP API (RAG_API_URL) and holds no index; ui/ask.py is the chat.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Attest", page_icon=":material/format_quote:", layout="wide")
st.navigation([
    st.Page("ask.py", title="Ask", icon=":material/forum:", default=True),
    st.Page("pages/1_Eval.py", title="Eval", icon=":material/monitoring:", url_path="eval"),
]).run()
