"""Measure `related_above`: the score a decline's closest passage needs to be shown.

Run: python eval/related.py [--corpus corpus/] [--data-dir DIR] (rerun whenever the quote
model changes: its scores set the scale). Each row of eval/datasets/related_passages.jsonl
is a hand-labelled (question, passage) pair over corpus/: is the passage plausibly related
to what was asked? The real engine answers every question with declining forced, so every
question lists its closest passages with their scores; each labelled passage is found
among them by its text. The threshold is the score that best separates related from
unrelated pairs (balanced accuracy; ties go to the lower threshold, which shows more).
A labelled passage the engine does not list counts as not shown. Writes
eval/reports/related.md and prints the setting.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import date
from pathlib import Path

from rag.config import Settings
from rag.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
LISTED = 8  # closest passages asked for per question: more than a decline ever shows


def words(text: str) -> str:
    return " ".join(text.split())


def scores(engine: Engine, rows: list[dict]) -> list[float | None]:
    """Each pair's passage score, None when the engine does not list the passage."""
    answers = {q: engine.ask(q, max_quotes=LISTED) for q in dict.fromkeys(r["question"] for r in rows)}
    found = []
    for row in rows:
        matches = [quote.score for quote in answers[row["question"]].related
                   if quote.document_id == row["document_id"] and words(row["passage"]) in words(quote.text)]
        found.append(max(matches) if matches else None)
    return found


def pick(labels: list[bool], found: list[float | None]) -> tuple[float, float]:
    """The threshold with the best balanced accuracy, and that accuracy."""
    listed = sorted({s for s in found if s is not None})
    candidates = [0.0] + [(a + b) / 2 for a, b in zip(listed, listed[1:])] + [listed[-1] + 1e-6]

    def balanced(threshold: float) -> float:
        shown = [s is not None and s >= threshold for s in found]
        related = [sh for sh, lab in zip(shown, labels) if lab]
        unrelated = [not sh for sh, lab in zip(shown, labels) if not lab]
        return (sum(related) / len(related) + sum(unrelated) / len(unrelated)) / 2

    best = max(candidates, key=lambda t: (balanced(t), -t))
    return best, balanced(best)


def report(rows, found, threshold, accuracy, path: Path) -> None:
    shown = [s is not None and s >= threshold for s in found]
    lines = [
        "# Which closest passages a decline shows (`related_above`)",
        "",
        f"Measured {date.today()} by `python eval/related.py` on `eval/datasets/related_passages.jsonl` "
        f"({len(rows)} hand-labelled pairs over corpus/, {sum(r['related'] for r in rows)} related), "
        "the engine declining every question so each lists its closest passages.",
        "",
        f"- **related_above = {threshold:.4g}** (RAG_RELATED_ABOVE; the default in rag/config.py)",
        f"- balanced accuracy {accuracy:.3f}: related pairs shown "
        f"{sum(s for s, r in zip(shown, rows) if r['related'])}/{sum(r['related'] for r in rows)}, "
        f"unrelated pairs hidden {sum(not s for s, r in zip(shown, rows) if not r['related'])}/"
        f"{sum(not r['related'] for r in rows)}",
        f"- labelled passages the engine did not list: {sum(s is None for s in found)}",
        "",
        "| question | passage | label | score | shown |",
        "|---|---|---|---|---|",
    ]
    for row, score, show in sorted(zip(rows, found, shown), key=lambda x: -(x[1] or 0)):
        cells = [row["question"], row["passage"][:60], "related" if row["related"] else "unrelated",
                 "not listed" if score is None else f"{score:.4f}", "yes" if show else "no"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--dataset", default=str(ROOT / "eval" / "datasets" / "related_passages.jsonl"))
    parser.add_argument("--data-dir", help="an index of --corpus to reuse (default: a temporary one)")
    parser.add_argument("--report", default=str(ROOT / "eval" / "reports" / "related.md"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.dataset).read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        # decline everything and list every passage: the measurement is the passages' scores
        settings = Settings(data_dir=Path(args.data_dir or tmp), related_above=0.0, decline_below=float("inf"))
        engine = Engine(settings)
        engine.ingest(Path(args.corpus))
        found = scores(engine, rows)
    threshold, accuracy = pick([r["related"] for r in rows], found)
    report(rows, found, threshold, accuracy, Path(args.report))
    print(f"related_above = {threshold:.4g} (balanced accuracy {accuracy:.3f}); wrote {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
