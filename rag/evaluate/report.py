"""An eval report written three ways: a terminal table, JSON (the UI reads it) and Markdown
with a PNG chart beside it (`<name>.png`, the path the UI's Eval page looks for).

The JSON keeps Attest's metrics at the top level (`metrics`) and the other systems under
`baselines` as {system: metrics}; retrieval metrics per mode sit under `retrieval`.
"""

from __future__ import annotations

import json
from pathlib import Path

TABLE = ("supported", "answered", "declined_unanswerable", "decline_precision", "attribution",
         "faithfulness", "words_per_answer", "latency_p50_ms", "latency_p95_ms")
RATES = ("faithfulness", "supported", "answered", "declined_unanswerable", "decline_precision", "attribution")


def by_system(report: dict) -> dict[str, dict]:
    return {report.get("system", "Attest"): report["metrics"], **report.get("baselines", {})}


def _cell(value) -> str:
    return "–" if value is None else str(value)


def grid(header: list[str], rows: list[list]) -> list[list[str]]:
    return [header] + [[_cell(v) for v in row] for row in rows]


def system_rows(report: dict) -> list[list[str]]:
    systems = by_system(report)
    return grid(["metric", *systems], [[m, *(s.get(m) for s in systems.values())] for m in TABLE])


def retrieval_rows(report: dict) -> list[list[str]]:
    modes = report.get("retrieval") or {}
    if not modes:
        return []
    names = [n for n in next(iter(modes.values())) if n != "queries"]
    return grid(["mode", *names], [[mode, *(values[n] for n in names)] for mode, values in modes.items()])


def kind_rows(report: dict) -> list[list[str]]:
    """One row per kind: its count, then each system's supported (declined, for the
    unanswerable kind) as `supported / declined`."""
    kinds = report.get("by_kind") or {}
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


def markdown(name: str, report: dict, definitions: dict, chart: str | None) -> str:
    metrics = "\n".join(f"| {k} | {_cell(v)} |" for k, v in report["metrics"].items())
    parts = [f"# Eval: {name}\n", f"| metric | value |\n|---|---|\n{metrics}\n"]
    if report.get("baselines"):
        parts.append(f"## Systems side by side\n\n{markdown_table(system_rows(report))}\n")
    if report.get("by_kind"):
        parts.append(f"## By kind of follow-up\n\n{markdown_table(kind_rows(report))}\n")
    if report.get("retrieval"):
        queries = next(iter(report["retrieval"].values()))["queries"]
        parts.append(f"## Retrieval (document level, {queries} queries with gold documents)\n\n"
                     f"{markdown_table(retrieval_rows(report))}\n")
    if chart:
        parts.append(f"![{name} chart]({chart})\n")
    parts.append("## Definitions\n" + "\n".join(f"- **{k}**: {v}" for k, v in definitions.items()) + "\n")
    violations = "\n".join(f"- {v}" for v in report["violations"]) or "none"
    parts.append(f"## Faithfulness violations\n{violations}\n")
    return "\n".join(parts)


def chart(report: dict, path: Path) -> Path:
    """Rates per system (grouped bars) and, where measured, retrieval metrics per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = by_system(report)
    rates = [m for m in RATES if any(s.get(m) is not None for s in systems.values())]
    panels = [("Answer quality per system", systems, rates)]
    if report.get("retrieval"):
        modes = report["retrieval"]
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


def write(report: dict, folder: Path, name: str, definitions: dict) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path, png_path = (folder / f"{name}{suffix}" for suffix in (".json", ".md", ".png"))
    json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    chart(report, png_path)
    md_path.write_text(markdown(name, report, definitions, png_path.name))
    return [json_path, md_path, png_path]
