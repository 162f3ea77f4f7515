"""Eval page: the `rag eval run` reports the API serves (GET /v1/eval/reports), newest first.

It reads reports only through the API (RAG_API_URL, with the token typed on the Ask page),
as EvalReport models, so it never guesses a report's shape. An unreachable API, an empty
list or a report that went away is a message, never a traceback.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from rag.api import client
from rag.api.client import ApiError
from rag.evaluate.models import EvalReport, ReportSummary
from rag.render import escape_markdown

API_URL = os.environ.get("RAG_API_URL", "http://127.0.0.1:8000").rstrip("/")
COUNTS = {"questions", "quotes"}  # integers that may happen to be 0 or 1: never rates


def fetch(path: str):
    return client.body(client.request(API_URL, "GET", path, st.session_state.get("api_token", "")))


def numeric(metrics: dict) -> dict[str, float]:
    return {k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def is_rate(name: str, values: list) -> bool:
    present = [v for v in values if v is not None and not pd.isna(v)]
    return (name not in COUNTS and not name.endswith("_ms") and bool(present)
            and all(0.0 <= v <= 1.0 for v in present))


def show_metrics(by_system: dict[str, dict[str, float]]) -> None:
    table = pd.DataFrame(by_system)  # rows: metrics, columns: systems
    table = table.dropna(how="all")
    table.index.name = "metric"
    rates = table[[is_rate(name, list(row)) for name, row in table.iterrows()]]
    left, right = st.columns(2) if len(rates) else (st.container(), None)
    with left:
        st.subheader("Metrics")
        st.dataframe(table, height=35 * (len(table) + 1) + 3)  # every metric, no inner scroll
    if right is not None:
        with right:
            st.subheader("Rates (0–1)")
            rows = rates.reset_index().melt(id_vars="metric", var_name="system", value_name="value")
            # one chart, bars grouped per metric, the legend below them (not over the bars)
            st.vega_lite_chart(rows, {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {"field": "metric", "type": "nominal", "title": None},
                    "yOffset": {"field": "system"},
                    "x": {"field": "value", "type": "quantitative", "scale": {"domain": [0, 1]}},
                    "color": {"field": "system", "legend": {"orient": "bottom", "title": None}},
                    "tooltip": [{"field": "system"}, {"field": "metric"}, {"field": "value", "format": ".3f"}],
                },
            }, width="stretch")


def show_violations(report: EvalReport) -> None:
    st.subheader("Faithfulness violations")
    if not report.violations:
        st.success("None: every quote equals its cited document's stored text at its offsets.")
        return
    st.error(f"{len(report.violations)} quote(s) do not match their cited text.")
    st.dataframe(pd.DataFrame([v.model_dump() for v in report.violations]))


def page() -> None:
    st.title("Evaluation")
    try:
        found = [ReportSummary.model_validate(s) for s in fetch("/v1/eval/reports")]
    except ApiError as err:
        st.error(escape_markdown(str(err), API_URL))
        st.button("Retry")
        return
    if not found:
        st.info("No eval report yet in the API's reports folder (RAG_EVAL_REPORTS_DIR). "
                "Run `make eval` to write one, then reload this page.")
        return
    names = [s.name for s in found]
    choice = st.selectbox("Report (newest first)", names, index=0) if len(found) > 1 else names[0]
    try:
        report = EvalReport.model_validate(fetch(f"/v1/eval/reports/{choice}"))
    except ApiError as err:
        st.error(escape_markdown(str(err), API_URL))
        return
    st.caption(f"**{choice}** · {report.metrics.questions or 0} questions · {report.created}")
    show_metrics({name: numeric(values) for name, values in report.by_system().items()})
    if report.definitions:
        st.subheader("Definitions")
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in report.definitions.items()))
    show_violations(report)


try:
    page()
except Exception as err:  # a report the API cannot describe must not show a traceback
    st.error(f"Could not show the eval report from {API_URL}: {type(err).__name__}: {err}.")
