"""SciFact rationales (`rationales-*.jsonl` beside a BEIR `corpus.jsonl`) as Attest data.

Each claim–document pair is one eval question: the claim is asked against every abstract,
its gold document is the abstract and its gold answers are the rationale sentences, so
"supported" means a quote contains a rationale sentence. Claims split into halves by the
SHA-1 of the claim id (`half`), the same split the reading model is trained on
(eval/train_reader.py trains on "train" only).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rag.evaluate.squad import EvalQuestion

KEYS = {"claim", "doc_id", "sentences"}


def half(claim_id: str) -> str:
    return "train" if int(hashlib.sha1(str(claim_id).encode()).hexdigest(), 16) % 2 == 0 else "report"


def is_scifact(path: Path) -> bool:
    if not (path.is_file() and path.suffix == ".jsonl" and (path.parent / "corpus.jsonl").is_file()):
        return False
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        return KEYS <= set(json.loads(first))
    except (json.JSONDecodeError, TypeError):
        return False


def questions(path: Path, which: str | None = None) -> list[EvalQuestion]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if which and half(r["id"]) != which:
            continue
        out.append(EvalQuestion(id=f"{r['id']}-{r['doc_id']}", question=r["claim"], answers=r["sentences"],
                                answerable=True, gold_document_ids=[str(r["doc_id"])]))
    return out


def write_corpus(path: Path, folder: Path) -> Path:
    """The abstracts of the BEIR corpus beside `path` as one Attest JSONL file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "scifact.jsonl"
    with (path.parent / "corpus.jsonl").open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as handle:
        for line in source:
            if line.strip():
                row = json.loads(line)
                handle.write(json.dumps({"id": str(row["_id"]), "title": row.get("title", ""),
                                         "text": row["text"]}) + "\n")
    return out
