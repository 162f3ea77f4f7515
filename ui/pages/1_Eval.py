"""Eval page: the newest `rag eval` report from eval/reports/ (or RAG_EVAL_DIR), read from disk.

Every section of a report is optional (metrics, baselines, definitions, violations), so an
older or newer report shows what it has; a missing or unreadable report is a message, never
a traceback.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import streamlit as st

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "eval" / "reports"
COUNTS = {"questions", "quotes"}  # integers that may happen to be 0 or 1: never rates
MAIN_SYSTEM = "Attest"



def reports_dir() -> Path:
    return Path(os.environ.get("RAG_EVAL_DIR") or DEFAULT_DIR)


@st.cache_data(show_spinner=False)
def load(path: str, mtime: float) -> dict | str:
    """The report at path, or a message saying why it is not one (mtime keys the cache)."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return f"{Path(path).name} is not readable JSON ({err})."
    if not isinstance(report, dict) or not isinstance(report.get("metrics"), dict):
        return f"{Path(path).name} has no `metrics` object, so it is not a `rag eval` report."
    return report


def find_reports(folder: Path) -> list[tuple[Path, dict]]:
    """Readable reports in folder, newest first; other JSON files (calibration…) are left out."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    found = []
    for path in files:
        report = load(str(path), path.stat().st_mtime)
        if isinstance(report, dict):
            found.append((path, report))
    return found


def numeric(metrics: object) -> dict[str, float]:
    if not isinstance(metrics, dict):
        return {}
    return {k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def systems(report: dict) -> dict[str, dict[str, float]]:
    """Metrics per system: this system first, then any baselines (a dict by name or a list)."""
    out = {str(report.get("system") or MAIN_SYSTEM): numeric(report["metrics"])}
    baselines = report.get("baselines") or {}
    if isinstance(baselines, list):
        baselines = {str(b.get("name") or b.get("system") or f"baseline {i}"): b
                     for i, b in enumerate(baselines, start=1) if isinstance(b, dict)}
    if isinstance(baselines, dict):
        for name, entry in baselines.items():
            metrics = numeric(entry.get("metrics", entry) if isinstance(entry, dict) else None)
            if metrics:
                out[str(name)] = metrics
    return out


def is_rate(name: str, values: list) -> bool:
    present = [v for v in values if v is not None and not pd.isna(v)]
    return (name not in COUNTS and not name.endswith("_ms") and bool(present)
            and all(0.0 <= v <= 1.0 for v in present))


def definitions(path: Path, report: dict) -> dict[str, str]:
    """From the report if it carries them, else from the Markdown report written beside it."""
    if isinstance(report.get("definitions"), dict):
        return {str(k): str(v) for k, v in report["definitions"].items()}
    md = path.with_suffix(".md")
    if not md.is_file():
        return {}
    section = md.read_text(encoding="utf-8", errors="replace").partition("## Definitions")[2]
    section = section.split("\n## ", 1)[0]
    return dict(re.findall(r"^- \*\*(.+?)\*\*: (.+)$", section, flags=re.M))


def report_date(path: Path, report: dict) -> str:
    for key in ("created", "created_at", "date", "generated_at", "timestamp"):
        if report.get(key):
            return str(report[key])
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def show_metrics(by_system: dict[str, dict[str, float]]) -> None:
    table = pd.DataFrame(by_system)  # rows: metrics, columns: systems
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


def show_violations(violations: object) -> None:
    st.subheader("Faithfulness violations")
    if not violations:
        st.success("None: every quote equals its cited document's stored text at its offsets.")
        return
    if not isinstance(violations, list):
        violations = [violations]
    st.error(f"{len(violations)} quote(s) do not match their cited text.")
    rows = [v if isinstance(v, dict) else {"violation": str(v)} for v in violations]
    st.dataframe(pd.DataFrame(rows))


def page() -> None:
    st.title("Evaluation")
    folder = reports_dir()
    found = find_reports(folder) if folder.is_dir() else []
    if not found:
        st.info(f"No eval report yet in `{folder}`. Run `make eval` to write one, then reload this page.")
        return
    names = [path.stem for path, _ in found]
    choice = st.selectbox("Report (newest first)", names, index=0) if len(found) > 1 else names[0]
    path, report = found[names.index(choice)]
    st.caption(f"**{path.stem}** · `{path}` · {report_date(path, report)}")
    show_metrics(systems(report))
    defs = definitions(path, report)
    if defs:
        st.subheader("Definitions")
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in defs.items()))
    show_violations(report.get("violations"))


try:
    page()
except Exception as err:  # a half-written or odd report must not show a traceback
    st.error(f"Could not show the eval report in `{reports_dir()}`: {type(err).__name__}: {err}. "
             "Re-run `make eval` to rewrite it.")
