"""The Eval page through AppTest, reading small report files written into a temporary folder
and served by the real API (uvicorn on 127.0.0.1): the page never reads the disk."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from rag.api.app import create_app
from rag.config import Settings
from tests.conftest import TOKEN, running

PAGE = str(Path(__file__).resolve().parent.parent / "ui" / "pages" / "1_Eval.py")

METRICS = {"questions": 4, "quotes": 5, "faithfulness": 0.8, "supported": 0.75, "answered": 1.0,
           "words_per_answer": 31.5, "latency_p50_ms": 12.0}
DEFINITIONS_MD = """# Eval: team

| metric | value |
|---|---|

## Definitions
- **faithfulness**: share of quotes whose cited text matches
- **supported**: answerable questions with a gold answer in a quote

## Faithfulness violations
- whatever
"""


def write_report(folder: Path, name: str, report: dict, mtime: float) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(report))
    os.utime(path, (mtime, mtime))
    return path


def chart_data(at: AppTest):
    """The rows behind the (only) bar chart: metric, system, value."""
    proto = at.get("vega_lite_chart")[0].proto
    data = proto.datasets[0].data.data if proto.datasets else proto.data.data
    return pa.ipc.open_stream(data).read_pandas()


@contextmanager
def serving(engine, folder: Path, **settings):
    """A real API over the session engine whose reports folder is `folder`."""
    app_settings = Settings(data_dir=engine.settings.data_dir, eval_reports_dir=folder, **settings)
    with running(create_app(app_settings, engine=engine)) as base:
        yield base


def open_page(base: str, monkeypatch, token: str = "") -> AppTest:
    monkeypatch.setenv("RAG_API_URL", base)
    at = AppTest.from_file(PAGE, default_timeout=60)
    if token:
        at.session_state["api_token"] = token  # as the Ask page keeps it
    at.run()
    assert not at.exception
    return at


def run_page(folder: Path, monkeypatch, engine) -> AppTest:
    with serving(engine, folder) as base:
        return open_page(base, monkeypatch)


def test_newest_report_with_baselines_definitions_and_violations(tmp_path, monkeypatch, engine):
    write_report(tmp_path, "older", {"metrics": {"supported": 0.1}, "violations": []}, 1_000_000)
    violation = {"question_id": "q3", "document_id": "news/x", "start": 3, "end": 40}
    write_report(tmp_path, "team", {"metrics": METRICS, "violations": [violation], "results": [],
                                    "baselines": {"bm25-first-sentence": {"supported": 0.5, "answered": 1.0},
                                                  "dense-top1": {"supported": 0.6, "latency_p50_ms": 2.0}}},
                 2_000_000)
    (tmp_path / "team.md").write_text(DEFINITIONS_MD)
    write_report(tmp_path, "calibration", {"default": {"threshold": 0.5}}, 3_000_000)  # not a report

    with serving(engine, tmp_path) as base:
        at = open_page(base, monkeypatch)
        assert at.selectbox[0].value == "team" and at.selectbox[0].options == ["team", "older"]
        assert "**team**" in at.caption[0].value
        table = at.dataframe[0].value
        assert list(table.columns) == ["Attest", "bm25-first-sentence", "dense-top1"]
        assert table.loc["supported", "Attest"] == 0.75 and table.loc["supported", "dense-top1"] == 0.6
        assert table.loc["latency_p50_ms", "dense-top1"] == 2.0
        bars = chart_data(at)
        assert set(bars["metric"]) == {"faithfulness", "supported", "answered"}  # rates only
        assert set(bars["system"]) == {"Attest", "bm25-first-sentence", "dense-top1"}
        assert not at.get("imgs")  # one chart: the report's own PNG is not shown beside it
        text = "\n".join(m.value for m in at.markdown)
        assert "**faithfulness**: share of quotes whose cited text matches" in text
        assert at.error and "1 quote(s)" in at.error[0].value
        assert at.dataframe[1].value.iloc[0]["question_id"] == "q3"

        at.selectbox[0].set_value("older").run()
        assert not at.exception
        assert list(at.dataframe[0].value.columns) == ["Attest"]
        assert at.success and "None" in at.success[0].value


def test_single_report_without_rates_or_definitions(tmp_path, monkeypatch, engine):
    write_report(tmp_path, "speed", {"metrics": {"latency_p50_ms": 10.0, "questions": 1}}, 1_000_000)
    at = run_page(tmp_path, monkeypatch, engine)
    assert not at.selectbox and not at.get("vega_lite_chart")
    assert at.dataframe[0].value.loc["questions", "Attest"] == 1
    assert at.success  # no violations key reads as none


@pytest.mark.parametrize("setup", ["empty", "missing", "only-broken"])
def test_no_report_is_an_info_message(tmp_path, monkeypatch, engine, setup):
    folder = tmp_path / "reports"
    if setup != "missing":
        folder.mkdir()
    if setup == "only-broken":
        (folder / "half-written.json").write_text('{"metrics": {"supp')
    at = run_page(folder, monkeypatch, engine)
    assert not at.error
    assert at.info and "make eval" in at.info[0].value


def test_api_down_or_locked_is_a_message(tmp_path, monkeypatch, engine):
    at = open_page("http://127.0.0.1:9", monkeypatch)
    assert at.error and "not reachable" in at.error[0].value
    write_report(tmp_path, "speed", {"metrics": {"questions": 1}}, 1_000_000)
    with serving(engine, tmp_path, api_token=TOKEN, protect_reads=True) as base:
        locked = open_page(base, monkeypatch)
        assert locked.error and "401" in locked.error[0].value
        allowed = open_page(base, monkeypatch, token=TOKEN)
        assert not allowed.error and allowed.dataframe[0].value.loc["questions", "Attest"] == 1


def test_the_committed_reports_are_served(monkeypatch, engine):
    """The repo's eval/reports through the API as the page shows it (the SQuAD summary included)."""
    folder = Path(PAGE).parents[2] / "eval" / "reports"
    with serving(engine, folder) as base:
        at = open_page(base, monkeypatch)
        assert "squad2-dev-part" in at.selectbox[0].options and "calibration" not in at.selectbox[0].options
        at.selectbox[0].set_value("squad2-dev-part").run()
        assert not at.exception and not at.error
        table = at.dataframe[0].value
        assert table.loc["questions", "Attest"] == 3616 and table.loc["faithfulness", "Attest"] == 1.0
