"""An EvalReport written out: terminal tables, a summary JSON (the API serves it to the Eval
page), the per-question records as JSON lines beside it, and Markdown with a PNG chart.

The summary JSON is `EvalReport` without `results`: Attest's metrics at the top level
(`metrics`), the other systems under `baselines` as {system: metrics}, retrieval per mode
under `retrieval`, and a bounded sample of wrong outcomes under `failures`. Every
question's record goes to `<name>.results.jsonl`, which stays out of git (it can be large).
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.evaluate.models import CheckReport, EvalReport

TABLE = ("supported", "first_quote", "answered", "declined_unanswerable", "decline_precision", "attribution",
         "faithfulness", "words_per_answer", "latency_p50_ms", "latency_p95_ms")
RATES = ("faithfulness", "supported", "answered", "declined_unanswerable", "decline_precision", "attribution")


def _cell(value) -> str:
    return "–" if value is None else str(value)


def grid(header: list[str], rows: list[list]) -> list[list[str]]:
    return [header] + [[_cell(v) for v in row] for row in rows]


def system_rows(report: EvalReport) -> list[list[str]]:
    systems = report.by_system()
    return grid(["metric", *systems], [[m, *(s.get(m) for s in systems.values())] for m in TABLE])


def retrieval_rows(report: EvalReport) -> list[list[str]]:
    modes = report.retrieval
    if not modes:
        return []
    names = [n for n in next(iter(modes.values())) if n != "queries"]
    return grid(["mode", *names], [[mode, *(values[n] for n in names)] for mode, values in modes.items()])


def kind_rows(report: EvalReport) -> list[list[str]]:
    """One row per kind: its count, then each system's supported (declined, for the
    unanswerable kind) as `supported / declined`."""
    kinds = report.by_kind
    if not kinds:
        return []
    names = list(kinds)
    first = kinds[names[0]]
    rows = []
    for kind in first:
        cells = []
        for name in names:
            values = kinds[name][kind]
            cells.append(" / ".join(_cell(values[m]) for m in ("supported", "declined_unanswerable")))
        rows.append([kind, first[kind]["questions"], *cells])
    return grid(["kind", "n", *(f"{n} (supported / declined)" for n in names)], rows)


def terminal(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in rows)


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def markdown(name: str, report: EvalReport, chart: str | None) -> str:
    metrics = "\n".join(f"| {k} | {_cell(v)} |" for k, v in report.metrics.values().items())
    parts = [f"# Eval: {name}\n", f"| metric | value |\n|---|---|\n{metrics}\n"]
    if report.baselines:
        parts.append(f"## Systems side by side\n\n{markdown_table(system_rows(report))}\n")
    if report.by_kind:
        parts.append(f"## By kind of follow-up\n\n{markdown_table(kind_rows(report))}\n")
    if report.retrieval:
        queries = next(iter(report.retrieval.values()))["queries"]
        parts.append(f"## Retrieval (document level, {queries} queries with gold documents)\n\n"
                     f"{markdown_table(retrieval_rows(report))}\n")
    if chart:
        parts.append(f"![{name} chart]({chart})\n")
    parts.append("## Definitions\n" + "\n".join(f"- **{k}**: {v}" for k, v in report.definitions.items()) + "\n")
    violations = "\n".join(f"- {v.model_dump()}" for v in report.violations) or "none"
    parts.append(f"## Faithfulness violations\n{violations}\n")
    return "\n".join(parts)


def chart(report: EvalReport, path: Path) -> Path:
    """Rates per system (grouped bars) and, where measured, retrieval metrics per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report.by_system()
    rates = [m for m in RATES if any(s.get(m) is not None for s in systems.values())]
    panels = [("Answer quality per system", systems, rates)]
    if report.retrieval:
        modes = report.retrieval
        panels.append(("Retrieval per mode (document level)", modes,
                       [n for n in next(iter(modes.values())) if n != "queries"]))
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.2), squeeze=False)
    for ax, (title, groups, names) in zip(axes[0], panels):
        width = 0.8 / max(len(groups), 1)
        for i, (group, values) in enumerate(groups.items()):
            xs = [j + (i - (len(groups) - 1) / 2) * width for j in range(len(names))]
            ax.bar(xs, [values.get(n) or 0.0 for n in names], width, label=group)
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
        ax.set_ylim(0, 1.05)
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def summary_json(report: EvalReport) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=1, ensure_ascii=False)


def write(report: EvalReport, folder: Path, name: str) -> list[Path]:
    """`<name>.json` (the summary), `<name>.results.jsonl`, `<name>.md` and `<name>.png` in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, results_path, md_path, png_path = (
        folder / f"{name}{suffix}" for suffix in (".json", ".results.jsonl", ".md", ".png"))
    json_path.write_text(summary_json(report))
    results_path.write_text("".join(r.model_dump_json() + "\n" for r in report.results), encoding="utf-8")
    chart(report, png_path)
    md_path.write_text(markdown(name, report, png_path.name))
    return [json_path, results_path, md_path, png_path]


def check_terminal(result: CheckReport) -> str:
    """Every citation with its verdict and evidence, then the counts."""
    lines = []
    for r in result.citations_checked:
        head = f"[{r.answer}.{r.citation}] {r.verdict.upper():<13} {r.document_id}"
        if r.offsets_match is False:
            head += "  (offsets do not match the text)"
        lines.append(head + f"\n    “{r.text[:160]}”")
        if r.verdict == "misattributed":
            lines.append("    found in: " + ", ".join(f"{h.document_id} {h.start}–{h.end}" for h in r.found_in or []))
        elif r.verdict == "stitched":
            lines += [f"    fragment from {f.document_id} {f.start}–{f.end}: “{f.text[:100]}”"
                      for f in r.fragments or []]
        elif r.closest:
            c = r.closest
            lines.append(f"    closest ({c.similarity:.2f}) at {c.start}–{c.end}: “{c.text[:160]}”")
        elif r.reason:
            lines.append(f"    {r.reason}")
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    lines.append(f"\n{result.citations} citations in {result.answers} answers: {counts}")
    return "\n".join(lines)
