"""Attest UI (Streamlit): the Ask page and the Eval page, named in the navigation.

It talks only to the HTTP API (RAG_API_URL) and holds no index; ui/ask.py is the chat.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:  # `streamlit run` puts the app's folder first for its pages' imports; AppTest does not
    sys.path.insert(0, HERE)

st.set_page_config(page_title="Attest", page_icon=":material/format_quote:", layout="wide")
st.navigation([
    st.Page("ask.py", title="Ask", icon=":material/forum:", default=True),
    st.Page("pages/1_Eval.py", title="Eval", icon=":material/monitoring:", url_path="eval"),
]).run()
