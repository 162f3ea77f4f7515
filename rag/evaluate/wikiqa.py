"""WikiQA TSV (`.tsv` or `.tsv.gz`) as Attest data: every summary one document, every
question an eval question.

Open-corpus use (as the dataset's SOURCE.md describes): every distinct DocumentID of the
TSV files in the folder becomes one document (its sentences joined by one space, title =
DocumentTitle); a question is answerable when one of its sentences has Label 1, and its
gold answers are those sentences, so "supported" means a quote contains one. WikiQA is for
evaluation only (its licence): nothing here is used to fit shipped weights.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from rag.evaluate.squad import EvalQuestion

COLUMNS = ["QuestionID", "Question", "DocumentID", "DocumentTitle", "SentenceID", "Sentence", "Label"]


def is_wikiqa(path: Path) -> bool:
    return path.is_file() and (path.name.endswith(".tsv") or path.name.endswith(".tsv.gz")) and \
        _header(path) == COLUMNS


def _open(path: Path):
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if path.name.endswith(".gz") else raw.decode("utf-8")
    return io.StringIO(text)


def _header(path: Path) -> list[str]:
    try:
        return next(csv.reader(_open(path), delimiter="\t", quoting=csv.QUOTE_NONE), [])
    except (OSError, UnicodeDecodeError, gzip.BadGzipFile):
        return []


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(_open(path), delimiter="\t", quoting=csv.QUOTE_NONE))


def questions(path: Path) -> list[EvalQuestion]:
    by_id: dict[str, EvalQuestion] = {}
    for row in rows(path):
        q = by_id.setdefault(row["QuestionID"], EvalQuestion(
            id=row["QuestionID"], question=row["Question"], answerable=False,
            gold_document_ids=[f"wikiqa/{row['DocumentID']}"]))
        if row["Label"] == "1":
            q.answers.append(row["Sentence"])
            q.answerable = True
    for q in by_id.values():
        if not q.answerable:
            q.gold_document_ids = []
    return list(by_id.values())


def write_corpus(path: Path, folder: Path) -> Path:
    """Every summary in the TSV files beside `path` as one JSONL file of documents."""
    documents: dict[str, dict] = {}
    for tsv in sorted(p for p in path.parent.iterdir() if is_wikiqa(p)):
        for row in rows(tsv):
            doc = documents.setdefault(row["DocumentID"], {"title": row["DocumentTitle"], "sentences": {}})
            doc["sentences"][row["SentenceID"]] = row["Sentence"]
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "wikiqa.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for doc_id, doc in documents.items():
            ordered = sorted(doc["sentences"].items(), key=lambda kv: int(kv[0].rsplit("-", 1)[1]))
            handle.write(json.dumps({"id": f"wikiqa/{doc_id}", "title": doc["title"],
                                     "text": " ".join(s for _, s in ordered)}) + "\n")
    return out
