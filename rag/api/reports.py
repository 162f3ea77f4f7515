"""Eval reports, read-only: the list of `rag eval run` reports and one report by name.

They are read from `Settings.eval_reports_dir` on every request (a new run shows up without
a restart) and protected like every other read. The UI's Eval page reads them here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from rag.api.deps import can_read
from rag.api.schemas import errors
from rag.evaluate import report_files
from rag.evaluate.models import EvalReport, ReportSummary

router = APIRouter(prefix="/v1/eval/reports")


@router.get("", response_model=list[ReportSummary], dependencies=[Depends(can_read)], responses=errors(401, 403, 429))
def list_reports(request: Request) -> list[ReportSummary]:
    """Every readable report, newest first."""
    folder = request.app.state.settings.eval_reports_dir
    return [report_files.summary(name, report) for name, report in report_files.reports(folder).items()]


@router.get("/{name}", response_model=EvalReport, dependencies=[Depends(can_read)],
            responses=errors(401, 403, 404, 422, 429))
def get_report(name: Annotated[str, Path(description="A name the list gives.")], request: Request) -> EvalReport:
    """One report by the name the list gives: metrics, systems side by side, definitions, violations."""
    report = report_files.one(request.app.state.settings.eval_reports_dir, name)
    if report is None:
        raise HTTPException(404, f"no eval report {name!r}; GET /v1/eval/reports lists them")
    return report
