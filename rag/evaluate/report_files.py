"""Reading the reports folder: which JSON files are `rag eval run` reports, as EvalReports.

A report is `<name>.json` with a `metrics` object; other JSON there (calibration, fusion
tables) and unreadable files are skipped, never an error. Names are the file stems and
only names found by listing the folder are opened, so a name can never reach outside it.
A report without `definitions` (an older version) takes them from its Markdown beside it;
one without `created` takes the file's modification time.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from rag.evaluate.models import EvalReport, ReportSummary

_DEFINITION = re.compile(r"^- \*\*(.+?)\*\*: (.+)$", flags=re.M)


def _markdown_definitions(md: Path) -> dict[str, str]:
    if not md.is_file():
        return {}
    section = md.read_text(encoding="utf-8", errors="replace").partition("## Definitions")[2]
    return dict(_DEFINITION.findall(section.split("\n## ", 1)[0]))


def read(path: Path) -> EvalReport | None:
    """The report at path, or None when it is not a readable `rag eval` report."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("metrics"), dict):
        return None
    try:
        report = EvalReport.model_validate(raw)
    except ValidationError:
        return None
    update = {}
    if not report.definitions:
        update["definitions"] = _markdown_definitions(path.with_suffix(".md"))
    if not report.created:
        update["created"] = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if not report.dataset:
        update["dataset"] = path.stem
    return report.model_copy(update=update) if update else report


def reports(folder: Path) -> dict[str, EvalReport]:
    """Every readable report in folder by name, newest file first."""
    if not folder.is_dir():
        return {}
    files = sorted(folder.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    return {path.stem: report for path in files if (report := read(path)) is not None}


def summary(name: str, report: EvalReport) -> ReportSummary:
    return ReportSummary(name=name, dataset=report.dataset, created=report.created,
                         questions=report.metrics.questions, systems=list(report.by_system()),
                         faithfulness=report.metrics.faithfulness, supported=report.metrics.supported)


def one(folder: Path, name: str) -> EvalReport | None:
    """The report called name, when the folder lists such a file and it is a report."""
    if not folder.is_dir() or name not in {p.stem for p in folder.glob("*.json")}:
        return None
    return read(folder / f"{name}.json")
