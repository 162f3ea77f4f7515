"""BEIR folders as Attest data: `corpus.jsonl` (_id, title, text), `queries.jsonl` (_id, text)
and `qrels/test.tsv` (query-id, corpus-id, score, with a header line).

The corpus is rewritten as one Attest JSONL file whose document ids are BEIR's `_id`, so
retrieved document ids compare directly with the qrels. Only queries with a qrels row are
kept; graded relevance travels along for nDCG.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rag.evaluate.squad import EvalQuestion


def is_beir(path: Path) -> bool:
    return path.is_dir() and (path / "corpus.jsonl").is_file() and (path / "queries.jsonl").is_file()


def _records(path: Path) -> list[dict]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: not valid JSON ({err.msg})") from None
    return out


def qrels(folder: Path, split: str = "test") -> dict[str, dict[str, float]]:
    path = folder / "qrels" / f"{split}.tsv"
    if not path.is_file():
        raise ValueError(f"{folder} is a BEIR folder without qrels/{split}.tsv; add it (query-id, corpus-id, score)")
    graded: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if len(row) < 3:
                continue
            try:
                score = float(row[2])
            except ValueError:
                if number == 1:
                    continue  # the header ("query-id corpus-id score"); a file without one loses no row
                raise ValueError(f"{path}:{number}: score {row[2]!r} is not a number") from None
            graded.setdefault(row[0], {})[row[1]] = score
    return graded


def write_corpus(folder: Path, target: Path) -> Path:
    """The BEIR corpus as one JSONL file Attest ingests (ids kept, extra fields dropped)."""
    target.mkdir(parents=True, exist_ok=True)
    out = target / "corpus.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for record in _records(folder / "corpus.jsonl"):
            text = record.get("text") or ""
            if not text.strip():
                continue  # nothing to ingest or to quote
            handle.write(json.dumps({"_id": str(record["_id"]), "title": str(record.get("title") or ""),
                                     "text": text}, ensure_ascii=False) + "\n")
    return out


def questions(folder: Path, split: str = "test") -> tuple[list[EvalQuestion], dict[str, dict[str, float]]]:
    graded = qrels(folder, split)
    out = []
    for record in _records(folder / "queries.jsonl"):
        qid = str(record["_id"])
        if qid in graded:
            out.append(EvalQuestion(id=qid, question=record["text"], answers=[], answerable=True,
                                    gold_document_ids=sorted(d for d, g in graded[qid].items() if g > 0)))
    return out, graded
