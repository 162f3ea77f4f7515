"""GET /v1/eval/reports and /v1/eval/reports/{name} on a real uvicorn: the list of summaries,
one report as an EvalReport, read protection, and names that are not reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from rag.api.app import create_app
from rag.config import REPO_EVAL_REPORTS, Settings
from rag.evaluate.models import EvalReport, ReportSummary
from tests.conftest import TOKEN, running

REPORT = {"system": "Attest", "dataset": "team", "created": "2026-01-02 03:04 UTC",
          "metrics": {"questions": 4, "quotes": 5, "faithfulness": 1.0, "supported": 0.75},
          "baselines": {"top-chunk": {"supported": 0.5}},
          "definitions": {"supported": "gold answer in a quote"}}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    (folder / "team.json").write_text(json.dumps(REPORT))
    (folder / "old.json").write_text(json.dumps({"metrics": {"supported": 0.1}}))
    (folder / "old.md").write_text("# Eval: old\n\n## Definitions\n- **supported**: from the Markdown\n")
    (folder / "calibration.json").write_text(json.dumps({"default": {"threshold": 0.5}}))
    (folder / "broken.json").write_text('{"metrics": {"supp')
    (folder / "team.results.jsonl").write_text("{}\n")
    os.utime(folder / "old.json", (1_000_000, 1_000_000))
    return folder


@pytest.fixture(scope="module")
def api(engine, folder):
    with running(create_app(Settings(data_dir=engine.settings.data_dir, eval_reports_dir=folder),
                            engine=engine)) as base:
        yield base


def test_list_is_summaries_of_reports_only_newest_first(api):
    listed = [ReportSummary.model_validate(s) for s in httpx.get(f"{api}/v1/eval/reports").json()]
    assert [s.name for s in listed] == ["team", "old"]  # calibration, broken and results left out
    team = listed[0]
    assert (team.questions, team.faithfulness, team.supported) == (4, 1.0, 0.75)
    assert team.systems == ["Attest", "top-chunk"] and team.created == REPORT["created"]
    assert listed[1].created == "1970-01-12 13:46 UTC"  # an older report: the file's time


def test_one_report_is_an_eval_report(api):
    response = httpx.get(f"{api}/v1/eval/reports/team")
    assert response.status_code == 200
    report = EvalReport.model_validate(response.json())
    assert report.metrics.supported == 0.75 and report.baselines["top-chunk"].supported == 0.5
    assert report.definitions == REPORT["definitions"]
    old = httpx.get(f"{api}/v1/eval/reports/old").json()
    assert old["definitions"] == {"supported": "from the Markdown"}  # older reports: from their .md


@pytest.mark.parametrize("name", ["calibration", "broken", "nope", "..%2Fteam", "team.results"])
def test_what_is_not_a_report_is_404(api, name):
    response = httpx.get(f"{api}/v1/eval/reports/{name}")
    assert response.status_code == 404  # a path-like name matches no route at all
    assert "/" in name.replace("%2F", "/") or "GET /v1/eval/reports lists them" in response.json()["error"]


def test_reports_are_protected_like_reads(engine, folder):
    settings = Settings(data_dir=engine.settings.data_dir, eval_reports_dir=folder, api_token=TOKEN,
                        protect_reads=True)
    with running(create_app(settings, engine=engine)) as base:
        assert httpx.get(f"{base}/v1/eval/reports").status_code == 401
        assert httpx.get(f"{base}/v1/eval/reports/team").status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(f"{base}/v1/eval/reports", headers=auth).status_code == 200
        assert httpx.get(f"{base}/v1/eval/reports/team", headers=auth).status_code == 200


def test_default_folder_is_the_repos_eval_reports_else_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("RAG_EVAL_REPORTS_DIR", raising=False)
    assert Settings(data_dir=tmp_path).eval_reports_dir == REPO_EVAL_REPORTS  # this is a checkout
    monkeypatch.setattr("rag.config.REPO_EVAL_REPORTS", tmp_path / "no-repo")
    assert Settings(data_dir=tmp_path).eval_reports_dir == tmp_path / "reports"
    monkeypatch.setenv("RAG_EVAL_REPORTS_DIR", str(tmp_path / "mine"))
    assert Settings().eval_reports_dir == tmp_path / "mine"
